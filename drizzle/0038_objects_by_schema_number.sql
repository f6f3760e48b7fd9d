-- Register objects hold their schema by a small number of the schema's own instead of its 30-character
-- id (issue 14), in the row and in both indexes that lead with it (a schema's objects, its change feed):
-- about 100 bytes less per object. schemas.seq is given by a trigger as a schema is inserted, one above
-- any number a schema or an object holds, and never changes (the last trigger); the objects of a deleted
-- schema go with it (the foreign key's cascade), so no object ever holds a number handed out again.
-- SQLite drops no column a foreign key names, so the table is made again and its rows copied; its
-- indexes and the triggers on it are made again (the feed's deletion trigger now finds the schema's id
-- by its number). Migrations run with foreign keys off: dropping the old table deletes nothing else,
-- and no trigger fires for the copy. No trigger of another table names objects. The schemas' triggers
-- come last, once objects has its new column.
ALTER TABLE `schemas` ADD `seq` integer;
--> statement-breakpoint
UPDATE `schemas` SET `seq` = `rowid`;
--> statement-breakpoint
CREATE UNIQUE INDEX `schemas_seq` ON `schemas` (`seq`);
--> statement-breakpoint
CREATE TABLE `__new_objects` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`schema_seq` integer NOT NULL,
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
	FOREIGN KEY (`schema_seq`) REFERENCES `schemas`(`seq`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_objects` (`id`, `org_id`, `schema_seq`, `data`, `hash`, `version`, `deleted_at`,
    `created_by`, `updated_by`, `updated_by_sync_seq`, `change_seq`, `changed_at`, `created_at`, `updated_at`)
  SELECT o.`id`, o.`org_id`, s.`seq`, o.`data`, o.`hash`, o.`version`, o.`deleted_at`,
    o.`created_by`, o.`updated_by`, o.`updated_by_sync_seq`, o.`change_seq`, o.`changed_at`, o.`created_at`,
    o.`updated_at`
  FROM `objects` AS o JOIN `schemas` AS s ON s.`id` = o.`schema_id`;
--> statement-breakpoint
DROP TABLE `objects`;
--> statement-breakpoint
ALTER TABLE `__new_objects` RENAME TO `objects`;
--> statement-breakpoint
CREATE INDEX `objects_schema` ON `objects` (`schema_seq`,`deleted_at`);
--> statement-breakpoint
CREATE INDEX `objects_feed` ON `objects` (`schema_seq`,`change_seq`);
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
    OR NEW.`schema_seq` IS NOT OLD.`schema_seq`
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
  WHEN EXISTS (SELECT 1 FROM `schemas` WHERE `seq` = OLD.`schema_seq`)
BEGIN
  UPDATE `change_counter` SET `n` = `n` + 1 WHERE `id` = 1;
  DELETE FROM `object_tombstones` WHERE `object_id` = OLD.`id`;
  INSERT INTO `object_tombstones` (`seq`, `org_id`, `schema_id`, `object_id`, `changed_at`)
  VALUES ((SELECT `n` FROM `change_counter` WHERE `id` = 1), OLD.`org_id`,
    (SELECT `id` FROM `schemas` WHERE `seq` = OLD.`schema_seq`), OLD.`id`,
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
--> statement-breakpoint
CREATE TRIGGER `schemas_number` AFTER INSERT ON `schemas` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `schemas` SET `seq` = 1 + max(
    (SELECT coalesce(max(`seq`), 0) FROM `schemas`),
    (SELECT coalesce(max(`schema_seq`), 0) FROM `objects`))
  WHERE `rowid` = NEW.`rowid`;
END;
--> statement-breakpoint
CREATE TRIGGER `schemas_number_kept` BEFORE UPDATE OF `seq` ON `schemas`
  WHEN OLD.`seq` IS NOT NULL AND NEW.`seq` IS NOT OLD.`seq` BEGIN
  SELECT RAISE(ABORT, 'a schema keeps its number (schemas.seq)');
END;
