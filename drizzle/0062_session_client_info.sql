ALTER TABLE `user_sessions` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `user_sessions` ADD `user_agent` text;--> statement-breakpoint
ALTER TABLE `user_sessions` ADD `client_address` text;