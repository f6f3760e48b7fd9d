-- A contract version names its run by a small number of the run's own (runs.seq) instead of the run's
-- 30-character id (issue 14): about 55 bytes less per changed object, in the version's row and in its
-- (run, contract) index. runs.seq is given by a trigger as a run is inserted, one above any number a
-- run or a version holds, and never changes (as synchronisations.seq, migration 0029).
-- contract_versions is rebuilt (SQLite cannot drop a column a foreign key uses); the rows keep their ids,
-- which order a contract's versions. The triggers of 0029 that write into it are dropped first and made
-- again, unchanged, once the new table has its name.
ALTER TABLE `runs` ADD `seq` integer;
--> statement-breakpoint
UPDATE `runs` SET `seq` = `rowid`;
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_seq` ON `runs` (`seq`);
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_update`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_delete`;
--> statement-breakpoint
CREATE TABLE `__new_contract_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`contract_id` text NOT NULL,
	`run_seq` integer,
	`action` text NOT NULL,
	`origin_hash` text,
	`target_hash` text,
	`data` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_seq`) REFERENCES `runs`(`seq`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_contract_versions` (`id`, `contract_id`, `run_seq`, `action`, `origin_hash`, `target_hash`, `data`, `updated_at`)
  SELECT v.`id`, v.`contract_id`, (SELECT r.`seq` FROM `runs` r WHERE r.`id` = v.`run_id`), v.`action`,
    v.`origin_hash`, v.`target_hash`, v.`data`, v.`updated_at`
  FROM `contract_versions` v ORDER BY v.`id`;
--> statement-breakpoint
DROP TABLE `contract_versions`;
--> statement-breakpoint
ALTER TABLE `__new_contract_versions` RENAME TO `contract_versions`;
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_versions_run_contract` ON `contract_versions` (`run_seq`,`contract_id`);
--> statement-breakpoint
CREATE INDEX `contract_versions_contract` ON `contract_versions` (`contract_id`,`id`);
--> statement-breakpoint
CREATE TRIGGER `runs_number` AFTER INSERT ON `runs` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `runs` SET `seq` = 1 + max(
    (SELECT coalesce(max(`seq`), 0) FROM `runs`),
    (SELECT coalesce(max(`run_seq`), 0) FROM `contract_versions`))
  WHERE `rowid` = NEW.`rowid`;
END;
--> statement-breakpoint
CREATE TRIGGER `runs_number_kept` BEFORE UPDATE OF `seq` ON `runs`
  WHEN OLD.`seq` IS NOT NULL AND NEW.`seq` IS NOT OLD.`seq` BEGIN
  SELECT RAISE(ABORT, 'a run keeps its number (runs.seq)');
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_update` AFTER UPDATE OF `data`, `updated_by_sync` ON `objects`
  WHEN OLD.`updated_by_sync` IS NOT NULL
    AND (NEW.`data` IS NOT OLD.`data` OR NEW.`updated_by_sync` IS NOT OLD.`updated_by_sync`)
BEGIN
  UPDATE `contract_versions` SET `data` = OLD.`data`
  WHERE `data` IS NULL AND `action` <> 'delete' AND `target_hash` = OLD.`hash`
    AND `contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = (SELECT `seq` FROM `synchronisations` WHERE `id` = OLD.`updated_by_sync`)
      AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync` IS NOT NULL
BEGIN
  UPDATE `contract_versions` SET `data` = OLD.`data`
  WHERE `data` IS NULL AND `action` <> 'delete' AND `target_hash` = OLD.`hash`
    AND `contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = (SELECT `seq` FROM `synchronisations` WHERE `id` = OLD.`updated_by_sync`)
      AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`);
END;
