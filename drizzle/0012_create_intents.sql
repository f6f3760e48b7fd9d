CREATE TABLE `create_intents` (
	`org_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`system_id` text NOT NULL,
	`origin_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`run_id` text NOT NULL,
	`state` text DEFAULT 'sending' NOT NULL,
	`target_id` text,
	`target_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`synchronisation_id`, `system_id`, `origin_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `create_intents_run` ON `create_intents` (`run_id`);