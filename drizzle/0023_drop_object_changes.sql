-- Hand-written: the change feed's triggers now write onto the objects (0022). Each change takes the
-- next position from change_counter; an object's own position is set by an UPDATE of its row (an
-- AFTER trigger cannot set NEW's columns), which changes none of the columns the update trigger
-- watches, so it does not fire that trigger again. A hard delete leaves a tombstone (not when the
-- whole schema goes); an object created again with a tombstone's id takes it back.
DROP TRIGGER `object_changes_insert`;--> statement-breakpoint
DROP TRIGGER `object_changes_update`;--> statement-breakpoint
DROP TRIGGER `object_changes_delete`;--> statement-breakpoint
DROP TABLE `object_changes`;--> statement-breakpoint
CREATE TRIGGER `objects_feed_insert` AFTER INSERT ON `objects` BEGIN
  UPDATE `change_counter` SET `n` = `n` + 1 WHERE `id` = 1;
  UPDATE `objects` SET `change_seq` = (SELECT `n` FROM `change_counter` WHERE `id` = 1),
    `changed_at` = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  WHERE `rowid` = NEW.`rowid`;
  DELETE FROM `object_tombstones` WHERE `object_id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `objects_feed_update` AFTER UPDATE ON `objects`
  WHEN NEW.`hash` IS NOT OLD.`hash` OR NEW.`version` IS NOT OLD.`version` OR NEW.`deleted_at` IS NOT OLD.`deleted_at`
    OR NEW.`schema_id` IS NOT OLD.`schema_id`
BEGIN
  UPDATE `change_counter` SET `n` = `n` + 1 WHERE `id` = 1;
  UPDATE `objects` SET `change_seq` = (SELECT `n` FROM `change_counter` WHERE `id` = 1),
    `changed_at` = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  WHERE `rowid` = NEW.`rowid`;
END;--> statement-breakpoint
CREATE TRIGGER `objects_feed_delete` AFTER DELETE ON `objects`
  WHEN EXISTS (SELECT 1 FROM `schemas` WHERE `id` = OLD.`schema_id`)
BEGIN
  UPDATE `change_counter` SET `n` = `n` + 1 WHERE `id` = 1;
  DELETE FROM `object_tombstones` WHERE `object_id` = OLD.`id`;
  INSERT INTO `object_tombstones` (`seq`, `org_id`, `schema_id`, `object_id`, `changed_at`)
  VALUES ((SELECT `n` FROM `change_counter` WHERE `id` = 1), OLD.`org_id`, OLD.`schema_id`, OLD.`id`,
    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
