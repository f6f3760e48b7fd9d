CREATE TABLE `conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`origin_id` text NOT NULL,
	`target_id` text,
	`kind` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`run_id` text,
	`base_data` text,
	`source_data` text,
	`source_mapped` text,
	`target_data` text,
	`source_hash` text,
	`target_hash` text,
	`source_updated_at` text,
	`target_updated_at` text,
	`resolution` text,
	`resolved_by` text,
	`resolved_by_user_id` text,
	`resolved_at` integer,
	`losing_data` text,
	`applied_run_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`resolved_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `conflicts_org_status` ON `conflicts` (`org_id`,`status`);--> statement-breakpoint
CREATE INDEX `conflicts_sync_origin` ON `conflicts` (`synchronisation_id`,`origin_id`);--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `direction` text DEFAULT 'one-way' NOT NULL;--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `two_way` text;--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `write_back` text;--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `write_back_mapping_id` text REFERENCES mappings(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `synchronisations` ADD `unsubscribe` text;--> statement-breakpoint
CREATE INDEX `synchronisations_write_back_mapping` ON `synchronisations` (`write_back_mapping_id`);--> statement-breakpoint
ALTER TABLE `contracts` ADD `target_base_hash` text;--> statement-breakpoint
ALTER TABLE `contracts` ADD `origin_sent_hash` text;--> statement-breakpoint
ALTER TABLE `contracts` ADD `target_data` text;--> statement-breakpoint
ALTER TABLE `contracts` ADD `flips` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `contracts` ADD `flips_since` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `change_id` text;