CREATE TABLE `api_idempotency` (
	`api_key_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`route` text NOT NULL,
	`body_hash` text NOT NULL,
	`status` integer NOT NULL,
	`response` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`api_key_id`, `idempotency_key`),
	FOREIGN KEY (`api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `api_rate_limits` (
	`api_key_id` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`api_key_id`, `window_start`),
	FOREIGN KEY (`api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `object_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`schema_id` text NOT NULL,
	`object_id` text NOT NULL,
	`op` text NOT NULL,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `object_changes_object` ON `object_changes` (`object_id`);--> statement-breakpoint
CREATE INDEX `object_changes_feed` ON `object_changes` (`schema_id`,`seq`);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `scopes` text DEFAULT '["run"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `previous_key_hash` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `previous_valid_until` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `rotated_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_previous_key_hash_unique` ON `api_keys` (`previous_key_hash`);--> statement-breakpoint
-- Hand-written: the change feed is kept by triggers, so every path that writes objects feeds it.
-- DELETE then INSERT, not INSERT OR REPLACE: an outer UPSERT's conflict clause would override the
-- trigger's OR REPLACE and fail on the unique object_id.
INSERT INTO `object_changes` (`org_id`, `schema_id`, `object_id`, `op`, `changed_at`)
  SELECT `org_id`, `schema_id`, `id`, CASE WHEN `deleted_at` IS NULL THEN 'upsert' ELSE 'delete' END, `updated_at`
  FROM `objects` ORDER BY `updated_at`, `id`;--> statement-breakpoint
CREATE TRIGGER `object_changes_insert` AFTER INSERT ON `objects` BEGIN
  DELETE FROM `object_changes` WHERE `object_id` = NEW.`id`;
  INSERT INTO `object_changes` (`org_id`, `schema_id`, `object_id`, `op`, `changed_at`)
  VALUES (NEW.`org_id`, NEW.`schema_id`, NEW.`id`, CASE WHEN NEW.`deleted_at` IS NULL THEN 'upsert' ELSE 'delete' END,
    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;--> statement-breakpoint
CREATE TRIGGER `object_changes_update` AFTER UPDATE ON `objects`
  WHEN NEW.`hash` IS NOT OLD.`hash` OR NEW.`version` IS NOT OLD.`version` OR NEW.`deleted_at` IS NOT OLD.`deleted_at`
    OR NEW.`schema_id` IS NOT OLD.`schema_id`
BEGIN
  DELETE FROM `object_changes` WHERE `object_id` = NEW.`id`;
  INSERT INTO `object_changes` (`org_id`, `schema_id`, `object_id`, `op`, `changed_at`)
  VALUES (NEW.`org_id`, NEW.`schema_id`, NEW.`id`, CASE WHEN NEW.`deleted_at` IS NULL THEN 'upsert' ELSE 'delete' END,
    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;--> statement-breakpoint
CREATE TRIGGER `object_changes_delete` AFTER DELETE ON `objects`
  WHEN EXISTS (SELECT 1 FROM `schemas` WHERE `id` = OLD.`schema_id`)
BEGIN
  DELETE FROM `object_changes` WHERE `object_id` = OLD.`id`;
  INSERT INTO `object_changes` (`org_id`, `schema_id`, `object_id`, `op`, `changed_at`)
  VALUES (OLD.`org_id`, OLD.`schema_id`, OLD.`id`, 'delete', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
