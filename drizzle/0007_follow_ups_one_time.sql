CREATE TABLE `sync_follow_ups` (
	`org_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`follow_up_id` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`synchronisation_id`, `follow_up_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`follow_up_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_follow_ups_follow_up` ON `sync_follow_ups` (`follow_up_id`);--> statement-breakpoint
CREATE INDEX `sync_follow_ups_org` ON `sync_follow_ups` (`org_id`);--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `one_time` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `run_once_at` integer;--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `disabled_reason` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `requested_by_run_id` text REFERENCES runs(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `runs_requested_by_run` ON `runs` (`requested_by_run_id`);