-- A register object's change-feed time and last write time as milliseconds after its creation (0 or a
-- byte or two for a new object's, where each took 6), read through virtual columns of their old names
-- (issue 14). The feed's triggers, which set changed_at, are made again to set its offset; the
-- rewrite of the offsets changes no hash, version or deletion, so no other trigger takes it for a
-- change (the feed and the versions' copied data stay as they are).
DROP TRIGGER `objects_feed_insert`;
--> statement-breakpoint
DROP TRIGGER `objects_feed_update`;
--> statement-breakpoint
ALTER TABLE `objects` RENAME COLUMN `changed_at` TO `changed_at_offset`;
--> statement-breakpoint
ALTER TABLE `objects` RENAME COLUMN `updated_at` TO `updated_at_offset`;
--> statement-breakpoint
UPDATE `objects` SET `changed_at_offset` = `changed_at_offset` - `created_at`,
  `updated_at_offset` = `updated_at_offset` - `created_at`;
--> statement-breakpoint
ALTER TABLE `objects` ADD `changed_at` integer GENERATED ALWAYS AS (created_at + changed_at_offset) VIRTUAL;
--> statement-breakpoint
ALTER TABLE `objects` ADD `updated_at` integer NOT NULL GENERATED ALWAYS AS (created_at + updated_at_offset) VIRTUAL;
--> statement-breakpoint
CREATE TRIGGER `objects_feed_insert` AFTER INSERT ON `objects` BEGIN
  UPDATE `change_counter` SET `n` = CASE WHEN NEW.`change_seq` > `n` THEN NEW.`change_seq` ELSE `n` + 1 END
  WHERE `id` = 1;
  UPDATE `objects` SET `change_seq` = (SELECT `n` FROM `change_counter` WHERE `id` = 1),
    `changed_at_offset` = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - `created_at`
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
    `changed_at_offset` = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - `created_at`
  WHERE `rowid` = NEW.`rowid` AND `change_seq` IS NOT (SELECT `n` FROM `change_counter` WHERE `id` = 1);
END;
