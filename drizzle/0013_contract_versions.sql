CREATE TABLE `contract_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`contract_id` text NOT NULL,
	`run_id` text,
	`action` text NOT NULL,
	`origin_hash` text,
	`target_hash` text,
	`data` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_versions_run_contract` ON `contract_versions` (`run_id`,`contract_id`);--> statement-breakpoint
CREATE INDEX `contract_versions_contract` ON `contract_versions` (`contract_id`,`id`);--> statement-breakpoint
DROP INDEX `run_entries_org`;--> statement-breakpoint
CREATE INDEX `run_entries_org_origin` ON `run_entries` (`org_id`,`origin_id`);