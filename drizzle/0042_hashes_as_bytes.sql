-- Hashes Concord makes (32 hex characters of SHA-256) kept as their 16 bytes: an object's, a contract's
-- five, a version's two (issue 14; server/db/schema/columns.ts hashColumn). The columns stay TEXT:
-- SQLite keeps a BLOB in a TEXT column as it is. A hash that is not hex of whole bytes stays text, as
-- the code writes one. Triggers that would take the new form for a change are set aside meanwhile and
-- made again as they were: the change feed (an object's hash "changed": every object would be pushed
-- again), a rewritten version (its copied data would go) and the contract epoch (every contract an
-- update: the stamps stay true, since no contract's content changed).
DROP TRIGGER `objects_feed_update`;
--> statement-breakpoint
DROP TRIGGER `contract_versions_rewritten`;
--> statement-breakpoint
DROP TRIGGER `contract_epochs_update`;
--> statement-breakpoint
UPDATE `objects` SET `hash` = coalesce(unhex(`hash`), `hash`) WHERE typeof(`hash`) = 'text';
--> statement-breakpoint
UPDATE `contracts` SET
  `origin_hash` = coalesce(unhex(`origin_hash`), `origin_hash`),
  `target_hash` = coalesce(unhex(`target_hash`), `target_hash`),
  `sent_hash` = coalesce(unhex(`sent_hash`), `sent_hash`),
  `target_base_hash` = coalesce(unhex(`target_base_hash`), `target_base_hash`),
  `origin_sent_hash` = coalesce(unhex(`origin_sent_hash`), `origin_sent_hash`)
WHERE typeof(`origin_hash`) = 'text' OR typeof(`target_hash`) = 'text' OR typeof(`sent_hash`) = 'text'
  OR typeof(`target_base_hash`) = 'text' OR typeof(`origin_sent_hash`) = 'text';
--> statement-breakpoint
UPDATE `contract_versions` SET
  `origin_hash` = coalesce(unhex(`origin_hash`), `origin_hash`),
  `target_hash` = coalesce(unhex(`target_hash`), `target_hash`)
WHERE typeof(`origin_hash`) = 'text' OR typeof(`target_hash`) = 'text';
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
CREATE TRIGGER `contract_versions_rewritten` AFTER UPDATE OF `target_hash`, `data` ON `contract_versions`
BEGIN
  DELETE FROM `version_data` WHERE `version_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `contract_epochs_update` AFTER UPDATE ON `contracts` BEGIN
  INSERT INTO `contract_epochs` (`sync_seq`, `n`) VALUES (NEW.`sync_seq`, 1)
  ON CONFLICT (`sync_seq`) DO UPDATE SET `n` = `n` + 1;
END;
