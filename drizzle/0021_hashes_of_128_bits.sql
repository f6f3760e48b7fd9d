-- Hashes of 128 bits (HASH_LENGTH in server/sync/core/canonical-json.ts): every stored object hash is cut
-- to its first 32 hex characters, which is the hash Concord now makes of the same object, so no object
-- counts as changed because of it. A contract's sent hash is made over whole digests (core/prepare.ts),
-- so it, cut, also stays what the next run makes: nothing is sent again.
--
-- Cutting an object's hash changes no object: the change feed's trigger would record every object as
-- changed (and every push would read them all again), so it is set aside meanwhile and put back as it was.
DROP TRIGGER `object_changes_update`;--> statement-breakpoint
UPDATE `objects` SET `hash` = substr(`hash`, 1, 32) WHERE length(`hash`) > 32;--> statement-breakpoint
CREATE TRIGGER `object_changes_update` AFTER UPDATE ON `objects`
  WHEN NEW.`hash` IS NOT OLD.`hash` OR NEW.`version` IS NOT OLD.`version` OR NEW.`deleted_at` IS NOT OLD.`deleted_at`
    OR NEW.`schema_id` IS NOT OLD.`schema_id`
BEGIN
  DELETE FROM `object_changes` WHERE `object_id` = NEW.`id`;
  INSERT INTO `object_changes` (`org_id`, `schema_id`, `object_id`, `op`, `changed_at`)
  VALUES (NEW.`org_id`, NEW.`schema_id`, NEW.`id`, CASE WHEN NEW.`deleted_at` IS NULL THEN 'upsert' ELSE 'delete' END,
    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;--> statement-breakpoint
UPDATE `contracts` SET
  `origin_hash` = substr(`origin_hash`, 1, 32),
  `target_hash` = substr(`target_hash`, 1, 32),
  `sent_hash` = substr(`sent_hash`, 1, 32),
  `target_base_hash` = substr(`target_base_hash`, 1, 32),
  `origin_sent_hash` = substr(`origin_sent_hash`, 1, 32)
WHERE length(`origin_hash`) > 32 OR length(`target_hash`) > 32 OR length(`sent_hash`) > 32
  OR length(`target_base_hash`) > 32 OR length(`origin_sent_hash`) > 32;--> statement-breakpoint
UPDATE `contract_versions` SET `origin_hash` = substr(`origin_hash`, 1, 32), `target_hash` = substr(`target_hash`, 1, 32)
WHERE length(`origin_hash`) > 32 OR length(`target_hash`) > 32;--> statement-breakpoint
UPDATE `conflicts` SET `source_hash` = substr(`source_hash`, 1, 32), `target_hash` = substr(`target_hash`, 1, 32)
WHERE length(`source_hash`) > 32 OR length(`target_hash`) > 32;--> statement-breakpoint
UPDATE `create_intents` SET `target_hash` = substr(`target_hash`, 1, 32) WHERE length(`target_hash`) > 32;
