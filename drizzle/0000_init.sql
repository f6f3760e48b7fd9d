CREATE TABLE `sign_in_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failure_at` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `user_identities` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`provider` text NOT NULL,
	`subject` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_identities_provider_subject` ON `user_identities` (`provider`,`subject`);--> statement-breakpoint
CREATE INDEX `user_identities_user` ON `user_identities` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_by` text,
	`last_used_at` integer,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org` ON `api_keys` (`org_id`);--> statement-breakpoint
CREATE INDEX `api_keys_created_by` ON `api_keys` (`created_by`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` text,
	`expires_at` integer NOT NULL,
	`accepted_at` integer,
	`accepted_by` text,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`accepted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token_hash_unique` ON `invitations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invitations_org` ON `invitations` (`org_id`);--> statement-breakpoint
CREATE INDEX `invitations_created_by` ON `invitations` (`created_by`);--> statement-breakpoint
CREATE INDEX `invitations_accepted_by` ON `invitations` (`accepted_by`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_org_user` ON `memberships` (`org_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `memberships_user` ON `memberships` (`user_id`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_slug_unique` ON `organisations` (`slug`);--> statement-breakpoint
CREATE TABLE `file_chunks` (
	`file_id` text NOT NULL,
	`seq` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`file_id`, `seq`),
	FOREIGN KEY (`file_id`) REFERENCES `files`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`source_id` text,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`uploaded_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `files_org` ON `files` (`org_id`);--> statement-breakpoint
CREATE INDEX `files_source` ON `files` (`source_id`);--> statement-breakpoint
CREATE INDEX `files_uploaded_by` ON `files` (`uploaded_by`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`config` text DEFAULT '{}' NOT NULL,
	`secrets_cipher` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sources_org` ON `sources` (`org_id`);--> statement-breakpoint
CREATE TABLE `objects` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`register_id` text NOT NULL,
	`schema_id` text NOT NULL,
	`data` text NOT NULL,
	`hash` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`register_id`) REFERENCES `registers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`schema_id`) REFERENCES `schemas`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `objects_org_schema_id` ON `objects` (`org_id`,`schema_id`,`id`);--> statement-breakpoint
CREATE INDEX `objects_register` ON `objects` (`register_id`);--> statement-breakpoint
CREATE INDEX `objects_schema` ON `objects` (`schema_id`,`deleted_at`);--> statement-breakpoint
CREATE TABLE `registers` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `registers_org` ON `registers` (`org_id`);--> statement-breakpoint
CREATE TABLE `schemas` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`register_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`json_schema` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`register_id`) REFERENCES `registers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `schemas_org` ON `schemas` (`org_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `schemas_register_name` ON `schemas` (`register_id`,`name`);--> statement-breakpoint
CREATE TABLE `mappings` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`config` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mappings_org` ON `mappings` (`org_id`);--> statement-breakpoint
CREATE TABLE `sync_states` (
	`synchronisation_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`next_run_at` integer,
	`last_run_id` text,
	`last_run_at` integer,
	`last_result` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_states_org` ON `sync_states` (`org_id`);--> statement-breakpoint
CREATE INDEX `sync_states_next_run` ON `sync_states` (`next_run_at`);--> statement-breakpoint
CREATE TABLE `synchronisations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`source_id` text NOT NULL,
	`source_endpoint` text DEFAULT '' NOT NULL,
	`source_config` text DEFAULT '{}' NOT NULL,
	`mapping_id` text,
	`target_type` text NOT NULL,
	`target_register_id` text,
	`target_schema_id` text,
	`target_source_id` text,
	`target_mapping_id` text,
	`target_config` text DEFAULT '{}' NOT NULL,
	`delete_mode` text DEFAULT 'soft' NOT NULL,
	`restrict_deletion` text,
	`delete_threshold` real DEFAULT 0.5 NOT NULL,
	`schedule_cron` text,
	`schedule_timezone` text DEFAULT 'UTC' NOT NULL,
	`success_retention_days` integer DEFAULT 30 NOT NULL,
	`error_retention_days` integer DEFAULT 90 NOT NULL,
	`webhook_enabled` integer DEFAULT false NOT NULL,
	`webhook_token_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`mapping_id`) REFERENCES `mappings`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`target_register_id`) REFERENCES `registers`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`target_schema_id`) REFERENCES `schemas`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`target_source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`target_mapping_id`) REFERENCES `mappings`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `synchronisations_org` ON `synchronisations` (`org_id`);--> statement-breakpoint
CREATE INDEX `synchronisations_source` ON `synchronisations` (`source_id`);--> statement-breakpoint
CREATE INDEX `synchronisations_mapping` ON `synchronisations` (`mapping_id`);--> statement-breakpoint
CREATE INDEX `synchronisations_target_register` ON `synchronisations` (`target_register_id`);--> statement-breakpoint
CREATE INDEX `synchronisations_target_schema` ON `synchronisations` (`target_schema_id`);--> statement-breakpoint
CREATE INDEX `synchronisations_target_source` ON `synchronisations` (`target_source_id`);--> statement-breakpoint
CREATE INDEX `synchronisations_target_mapping` ON `synchronisations` (`target_mapping_id`);--> statement-breakpoint
CREATE TABLE `contracts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`parent_origin_id` text,
	`origin_id` text NOT NULL,
	`target_id` text,
	`origin_hash` text,
	`target_hash` text,
	`source_last_changed` integer,
	`source_last_checked` integer,
	`source_last_synced` integer,
	`target_last_changed` integer,
	`target_last_checked` integer,
	`target_last_synced` integer,
	`last_action` text,
	`status` text NOT NULL,
	`last_error` text,
	`origin_data` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_sync_origin` ON `contracts` (`synchronisation_id`,`origin_id`);--> statement-breakpoint
CREATE INDEX `contracts_org_sync_origin` ON `contracts` (`org_id`,`synchronisation_id`,`origin_id`);--> statement-breakpoint
CREATE INDEX `contracts_sync_target` ON `contracts` (`synchronisation_id`,`target_id`);--> statement-breakpoint
CREATE INDEX `contracts_sync_status` ON `contracts` (`synchronisation_id`,`status`,`last_action`);--> statement-breakpoint
CREATE INDEX `contracts_sync_parent` ON `contracts` (`synchronisation_id`,`parent_origin_id`);--> statement-breakpoint
CREATE TABLE `run_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`run_id` text NOT NULL,
	`batch_key` text NOT NULL,
	`action` text NOT NULL,
	`origin_id` text,
	`target_id` text,
	`reason` text,
	`data` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_entries_run_batch` ON `run_entries` (`run_id`,`batch_key`);--> statement-breakpoint
CREATE INDEX `run_entries_run_action` ON `run_entries` (`run_id`,`action`);--> statement-breakpoint
CREATE INDEX `run_entries_org` ON `run_entries` (`org_id`);--> statement-breakpoint
CREATE TABLE `run_seen` (
	`run_id` text NOT NULL,
	`origin_id` text NOT NULL,
	`page` integer NOT NULL,
	PRIMARY KEY(`run_id`, `origin_id`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_steps` (
	`run_id` text NOT NULL,
	`step_id` text NOT NULL,
	`output` text,
	`finished_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `step_id`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`trigger` text NOT NULL,
	`requested_by` text,
	`test` integer DEFAULT false NOT NULL,
	`force` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`result` text,
	`message` text,
	`started_at` integer,
	`finished_at` integer,
	`heartbeat_at` integer,
	`interruptions` integer DEFAULT 0 NOT NULL,
	`pages_fetched` integer DEFAULT 0 NOT NULL,
	`found` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`invalid` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`filtered` integer DEFAULT 0 NOT NULL,
	`held` integer DEFAULT 0 NOT NULL,
	`complete` integer,
	`cursor` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `runs_org_created` ON `runs` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_sync_created` ON `runs` (`synchronisation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status` ON `runs` (`status`);--> statement-breakpoint
CREATE INDEX `runs_requested_by` ON `runs` (`requested_by`);