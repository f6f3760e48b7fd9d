-- Register objects no longer copy their register's id (issue 14): the schema names it, and deleting a
-- register deletes its schemas and, through them, their objects. 30 bytes per object, and the foreign
-- key's walk of every object when a register is deleted (no index served it, migration 0024) is gone.
-- SQLite drops no column a foreign key names, so the table is made again and its rows copied; its
-- indexes and the triggers on it (change feed 0035, version data 0034; dropped with the old table) are
-- made again as they were. Migrations run with foreign keys off: dropping the old table deletes nothing
-- else, and no trigger fires for the copy.
CREATE TABLE `__new_objects` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`schema_id` text NOT NULL,
	`data` text NOT NULL,
	`hash` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_by` text,
	`updated_by` text,
	`updated_by_sync_seq` integer,
	`change_seq` integer,
	`changed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`schema_id`) REFERENCES `schemas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_objects` (`id`, `org_id`, `schema_id`, `data`, `hash`, `version`, `deleted_at`,
    `created_by`, `updated_by`, `updated_by_sync_seq`, `change_seq`, `changed_at`, `created_at`, `updated_at`)
  SELECT `id`, `org_id`, `schema_id`, `data`, `hash`, `version`, `deleted_at`,
    `created_by`, `updated_by`, `updated_by_sync_seq`, `change_seq`, `changed_at`, `created_at`, `updated_at`
  FROM `objects`;
--> statement-breakpoint
DROP TABLE `objects`;
--> statement-breakpoint
ALTER TABLE `__new_objects` RENAME TO `objects`;
--> statement-breakpoint
CREATE INDEX `objects_schema` ON `objects` (`schema_id`,`deleted_at`);
--> statement-breakpoint
CREATE INDEX `objects_feed` ON `objects` (`schema_id`,`change_seq`);
--> statement-breakpoint
CREATE TRIGGER `objects_feed_insert` AFTER INSERT ON `objects` BEGIN
  UPDATE `change_counter` SET `n` = CASE WHEN NEW.`change_seq` > `n` THEN NEW.`change_seq` ELSE `n` + 1 END
  WHERE `id` = 1;
  UPDATE `objects` SET `change_seq` = (SELECT `n` FROM `change_counter` WHERE `id` = 1),
    `changed_at` = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  WHERE `rowid` = NEW.`rowid` AND `change_seq` IS NOT (SELECT `n` FROM `change_counter` WHERE `id` = 1);
  DELETE FROM `object_tombstones` WHERE `object_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `objects_feed_update` AFTER UPDATE ON `objects`
  WHEN NEW.`hash` IS NOT OLD.`hash` OR NEW.`version` IS NOT OLD.`version` OR NEW.`deleted_at` IS NOT OLD.`deleted_at`
    OR NEW.`schema_id` IS NOT OLD.`schema_id`
BEGIN
  UPDATE `change_counter` SET `n` = CASE
      WHEN NEW.`change_seq` IS NOT OLD.`change_seq` AND NEW.`change_seq` > `n` THEN NEW.`change_seq`
      ELSE `n` + 1 END
  WHERE `id` = 1;
  UPDATE `objects` SET `change_seq` = (SELECT `n` FROM `change_counter` WHERE `id` = 1),
    `changed_at` = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  WHERE `rowid` = NEW.`rowid` AND `change_seq` IS NOT (SELECT `n` FROM `change_counter` WHERE `id` = 1);
END;
--> statement-breakpoint
CREATE TRIGGER `objects_feed_delete` AFTER DELETE ON `objects`
  WHEN EXISTS (SELECT 1 FROM `schemas` WHERE `id` = OLD.`schema_id`)
BEGIN
  UPDATE `change_counter` SET `n` = `n` + 1 WHERE `id` = 1;
  DELETE FROM `object_tombstones` WHERE `object_id` = OLD.`id`;
  INSERT INTO `object_tombstones` (`seq`, `org_id`, `schema_id`, `object_id`, `changed_at`)
  VALUES ((SELECT `n` FROM `change_counter` WHERE `id` = 1), OLD.`org_id`, OLD.`schema_id`, OLD.`id`,
    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_update` AFTER UPDATE OF `data`, `updated_by_sync_seq` ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
    AND (NEW.`data` IS NOT OLD.`data` OR NEW.`updated_by_sync_seq` IS NOT OLD.`updated_by_sync_seq`)
BEGIN
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
BEGIN
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
