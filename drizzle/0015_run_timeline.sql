CREATE TABLE `run_events` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`run_id` text NOT NULL,
	`batch_key` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`page` integer,
	`url` text,
	`status` integer,
	`duration_ms` integer,
	`objects` integer,
	`wait_ms` integer,
	`detail` text,
	`data` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_events_run_batch` ON `run_events` (`run_id`,`batch_key`);--> statement-breakpoint
CREATE INDEX `run_events_org` ON `run_events` (`org_id`);--> statement-breakpoint
ALTER TABLE `runs` ADD `expected_total` integer;