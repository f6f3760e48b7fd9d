CREATE TABLE `run_changes` (
	`org_id` text NOT NULL,
	`change_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`run_id` text NOT NULL,
	`schema_id` text NOT NULL,
	`object_id` text NOT NULL,
	`outcome` text DEFAULT 'pending' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`schema_id`) REFERENCES `schemas`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `run_changes_delivery` ON `run_changes` (`change_id`,`synchronisation_id`);--> statement-breakpoint
CREATE INDEX `run_changes_run` ON `run_changes` (`run_id`);--> statement-breakpoint
CREATE INDEX `run_changes_schema` ON `run_changes` (`org_id`,`schema_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `run_changes_sync` ON `run_changes` (`synchronisation_id`);