ALTER TABLE `sync_states` ADD `cursor` text;--> statement-breakpoint
ALTER TABLE `sync_states` ADD `cursor_set_at` integer;--> statement-breakpoint
ALTER TABLE `sync_states` ADD `runs_since_full` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_states` ADD `next_reconcile_at` integer;--> statement-breakpoint
CREATE INDEX `sync_states_next_reconcile` ON `sync_states` (`next_reconcile_at`);--> statement-breakpoint
ALTER TABLE `runs` ADD `listing` text;