CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`source_id` text NOT NULL,
	`register_id` text,
	`schedule_cron` text,
	`schedule_timezone` text DEFAULT 'UTC' NOT NULL,
	`next_run_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`register_id`) REFERENCES `registers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `connections_org` ON `connections` (`org_id`);--> statement-breakpoint
CREATE INDEX `connections_source` ON `connections` (`source_id`);--> statement-breakpoint
CREATE INDEX `connections_register` ON `connections` (`register_id`);--> statement-breakpoint
CREATE INDEX `connections_next_run` ON `connections` (`next_run_at`);--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `connection_id` text REFERENCES connections(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `synchronisations_connection` ON `synchronisations` (`connection_id`);