CREATE TABLE `push_retries` (
	`org_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`schema_id` text NOT NULL,
	`object_id` text NOT NULL,
	`change_id` text,
	`data` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`next_attempt_at` integer,
	`run_id` text,
	`reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`synchronisation_id`, `object_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`schema_id`) REFERENCES `schemas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `push_retries_due` ON `push_retries` (`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `push_retries_run` ON `push_retries` (`run_id`);--> statement-breakpoint
CREATE INDEX `push_retries_schema` ON `push_retries` (`schema_id`);--> statement-breakpoint
CREATE INDEX `push_retries_org` ON `push_retries` (`org_id`);