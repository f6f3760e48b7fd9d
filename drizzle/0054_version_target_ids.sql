ALTER TABLE `contract_versions` ADD `target_id` text;--> statement-breakpoint
CREATE INDEX `contract_versions_target` ON `contract_versions` (`target_id`) WHERE "contract_versions"."target_id" IS NOT NULL;--> statement-breakpoint
-- A version names the target object it was written to only once its contract names another: when a
-- contract's target id changes (a record back after a hard deletion, an object re-created after someone
-- deleted it), its versions that still read the contract's get the old id. So a run's log and Find an
-- object's runs name the object that run touched. Versions written before this migration read the
-- contract's target id, as before.
CREATE TRIGGER `contracts_target_moved` AFTER UPDATE OF `target_id` ON `contracts`
  WHEN OLD.`target_id` IS NOT NULL AND NEW.`target_id` IS NOT OLD.`target_id`
BEGIN
  UPDATE `contract_versions` SET `target_id` = OLD.`target_id`
  WHERE `contract_seq` = OLD.`seq` AND `target_id` IS NULL
    -- The creation that moves it, written out by contracts_first_version, is the new object's.
    AND (NEW.`created_run_seq` IS NULL OR `run_seq` IS NOT NEW.`created_run_seq`);
END;
--> statement-breakpoint
-- As in 0051, but the creation it writes out names its object when the same change moves the contract
-- to another (the order of two triggers on one table is not to be relied on).
DROP TRIGGER IF EXISTS `contracts_first_version`;
--> statement-breakpoint
CREATE TRIGGER `contracts_first_version` AFTER UPDATE ON `contracts`
  WHEN (OLD.`created_run_seq` IS NOT NULL OR NEW.`created_run_seq` IS NOT NULL) AND (
    NEW.`created_run_seq` IS NOT OLD.`created_run_seq`
    OR ((NEW.`origin_hash` IS NOT OLD.`origin_hash` OR NEW.`target_hash` IS NOT OLD.`target_hash`
        OR NEW.`target_id` IS NOT OLD.`target_id` OR NEW.`status` IS NOT OLD.`status`
        OR NEW.`last_action` IS NOT OLD.`last_action`)
      AND NOT (NEW.`status` = 'synced' AND NEW.`last_action` = 'create')))
BEGIN
  INSERT INTO `contract_versions` (`contract_seq`, `run_seq`, `action`, `origin_hash`, `target_hash`, `data`, `updated_at`, `target_id`)
  SELECT OLD.`seq`, (SELECT `seq` FROM `runs` WHERE `seq` = OLD.`created_run_seq`), 'create',
    OLD.`origin_hash`, OLD.`target_hash`, NULL, OLD.`created_at`,
    CASE WHEN NEW.`target_id` IS NOT OLD.`target_id` THEN OLD.`target_id` END
  WHERE OLD.`created_run_seq` IS NOT NULL
  ON CONFLICT (`run_seq`, `contract_seq`) DO NOTHING;
  INSERT INTO `contract_versions` (`contract_seq`, `run_seq`, `action`, `origin_hash`, `target_hash`, `data`, `updated_at`)
  SELECT NEW.`seq`, (SELECT `seq` FROM `runs` WHERE `seq` = NEW.`created_run_seq`), 'create',
    NEW.`origin_hash`, NEW.`target_hash`, NULL, NEW.`created_at` + NEW.`updated_at_offset`
  WHERE NEW.`created_run_seq` IS NOT NULL AND NEW.`created_run_seq` IS NOT OLD.`created_run_seq`
  ON CONFLICT (`run_seq`, `contract_seq`) DO UPDATE SET `action` = 'create',
    `origin_hash` = excluded.`origin_hash`, `target_hash` = excluded.`target_hash`, `data` = NULL,
    `target_id` = NULL, `updated_at` = excluded.`updated_at`;
  UPDATE `contracts` SET `created_run_seq` = NULL WHERE `seq` = NEW.`seq` AND `created_run_seq` IS NOT NULL;
END;
