-- Register objects hold no organisation of their own (issue 14): the schema holds it, and every query
-- finds objects through the caller's organisation's schemas (objectsOfOrg, schemaSeqOfOrg in
-- server/db/schema/registers.ts). Its copy cost every object 30 bytes. Deleting an organisation deletes
-- its registers, their schemas and so their objects. SQLite drops no column a foreign key names, so the
-- table is made again and its rows copied (each keeping its rowid); migrations run with foreign keys
-- off, so dropping the old table deletes nothing else, and no trigger fires for the copy. The trigger of
-- another table that names objects (the schemas' numbering) goes first and is made again once the new
-- table has the name; the table's indexes and triggers are made again as they were, the feed's deletion
-- trigger finding the organisation of a tombstone through the schema.
CREATE TABLE `__new_objects` (
	`id` text PRIMARY KEY NOT NULL,
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
	FOREIGN KEY (`schema_seq`) REFERENCES `schemas`(`seq`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_objects` (`rowid`, `id`, `schema_seq`, `data`, `hash`, `version`, `deleted_at`, `created_by`, `updated_by`, `updated_by_sync_seq`, `change_seq`, `changed_at`, `created_at`, `updated_at`)
  SELECT `rowid`, `id`, `schema_seq`, `data`, `hash`, `version`, `deleted_at`, `created_by`, `updated_by`, `updated_by_sync_seq`, `change_seq`, `changed_at`, `created_at`, `updated_at` FROM `objects` ORDER BY `rowid`;
--> statement-breakpoint
DROP TRIGGER `schemas_number`;
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
  SELECT (SELECT `n` FROM `change_counter` WHERE `id` = 1), s.`org_id`, s.`id`, OLD.`id`,
    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  FROM `schemas` AS s WHERE s.`seq` = OLD.`schema_seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_update` AFTER UPDATE OF `data`, `updated_by_sync_seq` ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
    AND (NEW.`data` IS NOT OLD.`data` OR NEW.`updated_by_sync_seq` IS NOT OLD.`updated_by_sync_seq`)
BEGIN
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_seq` IN (SELECT `seq` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
BEGIN
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_seq` IN (SELECT `seq` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `schemas_number` AFTER INSERT ON `schemas` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `schemas` SET `seq` = 1 + max(
    (SELECT coalesce(max(`seq`), 0) FROM `schemas`),
    (SELECT coalesce(max(`schema_seq`), 0) FROM `objects`))
  WHERE `rowid` = NEW.`rowid`;
END;
