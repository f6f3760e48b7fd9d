ALTER TABLE `synchronisations` ADD `write_mode` text DEFAULT 'upsert' NOT NULL;--> statement-breakpoint
ALTER TABLE `contracts` ADD `sent_hash` text;