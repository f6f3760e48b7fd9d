CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`schema_id` text NOT NULL,
	`object_id` text NOT NULL,
	`op` text NOT NULL,
	`data` text,
	`origin_system_id` text,
	`origin_sync_id` text,
	`changes` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`schema_id`) REFERENCES `schemas`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_object` ON `outbox` (`schema_id`,`object_id`);--> statement-breakpoint
CREATE INDEX `outbox_updated` ON `outbox` (`updated_at`);--> statement-breakpoint
CREATE INDEX `outbox_org` ON `outbox` (`org_id`);--> statement-breakpoint
ALTER TABLE `objects` ADD `created_by` text REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `objects` ADD `updated_by` text REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `objects` ADD `updated_by_sync` text;