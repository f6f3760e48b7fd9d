-- A synchronisation's own secret headers and query parameters, encrypted (services/sync-secrets.ts):
-- values an earlier version saved in plain text in its sourceConfig, moved here at start.
CREATE TABLE `synchronisation_secrets` (
	`synchronisation_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`secrets_cipher` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `synchronisation_secrets_org` ON `synchronisation_secrets` (`org_id`);