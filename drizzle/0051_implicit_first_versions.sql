ALTER TABLE `contracts` ADD `created_run_seq` integer;--> statement-breakpoint
CREATE INDEX `contracts_created_run` ON `contracts` (`created_run_seq`) WHERE "contracts"."created_run_seq" IS NOT NULL;--> statement-breakpoint
-- A created object's first version is its contract while created_run_seq is set (issue 14). The first
-- change of the contract writes that version out as a row, as it was; a contract created again (after its
-- deletion) gets its creation as a version row at once, since older versions precede it. The same run
-- creating it again (a retried step, an id listed twice) leaves it a creation: still the contract, with
-- what that run wrote last (as a version row keeps the run's last write).
CREATE TRIGGER `contracts_first_version` AFTER UPDATE ON `contracts`
  WHEN (OLD.`created_run_seq` IS NOT NULL OR NEW.`created_run_seq` IS NOT NULL) AND (
    NEW.`created_run_seq` IS NOT OLD.`created_run_seq`
    OR ((NEW.`origin_hash` IS NOT OLD.`origin_hash` OR NEW.`target_hash` IS NOT OLD.`target_hash`
        OR NEW.`target_id` IS NOT OLD.`target_id` OR NEW.`status` IS NOT OLD.`status`
        OR NEW.`last_action` IS NOT OLD.`last_action`)
      AND NOT (NEW.`status` = 'synced' AND NEW.`last_action` = 'create')))
BEGIN
  INSERT INTO `contract_versions` (`contract_seq`, `run_seq`, `action`, `origin_hash`, `target_hash`, `data`, `updated_at`)
  SELECT OLD.`seq`, (SELECT `seq` FROM `runs` WHERE `seq` = OLD.`created_run_seq`), 'create',
    OLD.`origin_hash`, OLD.`target_hash`, NULL, OLD.`created_at`
  WHERE OLD.`created_run_seq` IS NOT NULL
  ON CONFLICT (`run_seq`, `contract_seq`) DO NOTHING;
  INSERT INTO `contract_versions` (`contract_seq`, `run_seq`, `action`, `origin_hash`, `target_hash`, `data`, `updated_at`)
  SELECT NEW.`seq`, (SELECT `seq` FROM `runs` WHERE `seq` = NEW.`created_run_seq`), 'create',
    NEW.`origin_hash`, NEW.`target_hash`, NULL, NEW.`created_at` + NEW.`updated_at_offset`
  WHERE NEW.`created_run_seq` IS NOT NULL AND NEW.`created_run_seq` IS NOT OLD.`created_run_seq`
  ON CONFLICT (`run_seq`, `contract_seq`) DO UPDATE SET `action` = 'create',
    `origin_hash` = excluded.`origin_hash`, `target_hash` = excluded.`target_hash`, `data` = NULL,
    `updated_at` = excluded.`updated_at`;
  UPDATE `contracts` SET `created_run_seq` = NULL WHERE `seq` = NEW.`seq` AND `created_run_seq` IS NOT NULL;
END;
--> statement-breakpoint
-- The register object holds a first version's data: before it changes or goes, that version is written
-- out (the contract's trigger above), and then, like every version leaving its data to the object, gets
-- a copy of the data.
DROP TRIGGER IF EXISTS `objects_keep_version_data_update`;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_update` AFTER UPDATE OF `data`, `updated_by_sync_seq` ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
    AND (NEW.`data` IS NOT OLD.`data` OR NEW.`updated_by_sync_seq` IS NOT OLD.`updated_by_sync_seq`)
BEGIN
  UPDATE `contracts` SET `created_run_seq` = NULL
  WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `created_run_seq` IS NOT NULL;
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_seq` IN (SELECT `seq` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `objects_keep_version_data_delete`;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
BEGIN
  UPDATE `contracts` SET `created_run_seq` = NULL
  WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `created_run_seq` IS NOT NULL;
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_seq` IN (SELECT `seq` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
--> statement-breakpoint
-- A run's number is never given again while a contract names it as its creator.
DROP TRIGGER IF EXISTS `runs_number`;
--> statement-breakpoint
CREATE TRIGGER `runs_number` AFTER INSERT ON `runs` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `runs` SET `seq` = 1 + max(
    (SELECT coalesce(max(`seq`), 0) FROM `runs`),
    (SELECT coalesce(max(`run_seq`), 0) FROM `contract_versions`),
    (SELECT coalesce(max(`created_run_seq`), 0) FROM `contracts` WHERE `created_run_seq` IS NOT NULL))
  WHERE `rowid` = NEW.`rowid`;
END;
