-- A writer may number its objects' places in the change feed itself (issue 14): the engine's statements
-- that write a page of register objects give each row the next numbers after change_counter
-- (server/sync/targets/register-rows.ts). The triggers accept a number above the counter and move the
-- counter to it; a row without one, or with one not above the counter (any other writer: a person's
-- edit, the API, a restore), is numbered as before, by an UPDATE of its row. Before, every created object
-- was written twice (its row and its feed index entry again, by that UPDATE), 0.2 of the initial pull's
-- 1.1 CPU-seconds of object inserts per 100k.
-- The counter's statement decides first (one CASE), so the UPDATE of the row finds the counter already
-- at the object's number when it was accepted, and writes nothing.
DROP TRIGGER `objects_feed_insert`;
--> statement-breakpoint
DROP TRIGGER `objects_feed_update`;
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
-- An update keeps the row's number unless the writer set a new one (NEW differs from OLD).
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
