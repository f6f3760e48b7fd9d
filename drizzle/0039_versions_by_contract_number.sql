-- A record's versions name their contract by a number instead of its 30-character id (issue 14): in the
-- version's row and in both its indexes ((run, contract), (contract, id)), about 90 bytes less per
-- changed object. The number is the contract's rowid, named `seq` (INTEGER PRIMARY KEY), so no VACUUM
-- renumbers it; every contract keeps its rowid as its number, so the list's order and its cursors stay
-- as they were. The id people and the API see stays, unique (contracts_id, the index its primary key had).
-- SQLite changes no primary key and drops no column a foreign key names, so both tables are made again
-- and their rows copied (a version's contract found by its id); migrations run with foreign keys off, so
-- dropping the old tables deletes nothing else. Triggers on other tables that name them (the numbering
-- of synchronisations and runs, the copies of versions' data on objects) go first and are made again
-- once the new tables have the names (sqld takes no legacy_alter_table); the tables' own triggers and
-- indexes are made again as they were.
CREATE TABLE `__new_contracts` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`org_id` text NOT NULL,
	`sync_seq` integer NOT NULL,
	`parent_origin_id` text,
	`origin_id` text NOT NULL,
	`target_id` text,
	`origin_hash` text,
	`target_hash` text,
	`sent_hash` text,
	`sent_data` text,
	`target_base_hash` text,
	`origin_sent_hash` text,
	`target_data` text,
	`flips` integer DEFAULT 0 NOT NULL,
	`flips_since` integer,
	`source_last_changed` integer,
	`source_last_checked` integer,
	`source_last_synced` integer,
	`target_last_changed` integer,
	`target_last_checked` integer,
	`target_last_synced` integer,
	`last_action` text,
	`status` text NOT NULL,
	`last_error` text,
	`origin_data` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sync_seq`) REFERENCES `synchronisations`(`seq`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_contracts` (`seq`, `id`, `org_id`, `sync_seq`, `parent_origin_id`, `origin_id`, `target_id`, `origin_hash`, `target_hash`, `sent_hash`, `sent_data`, `target_base_hash`, `origin_sent_hash`, `target_data`, `flips`, `flips_since`, `source_last_changed`, `source_last_checked`, `source_last_synced`, `target_last_changed`, `target_last_checked`, `target_last_synced`, `last_action`, `status`, `last_error`, `origin_data`, `created_at`, `updated_at`)
  SELECT `rowid`, `id`, `org_id`, `sync_seq`, `parent_origin_id`, `origin_id`, `target_id`, `origin_hash`, `target_hash`, `sent_hash`, `sent_data`, `target_base_hash`, `origin_sent_hash`, `target_data`, `flips`, `flips_since`, `source_last_changed`, `source_last_checked`, `source_last_synced`, `target_last_changed`, `target_last_checked`, `target_last_synced`, `last_action`, `status`, `last_error`, `origin_data`, `created_at`, `updated_at` FROM `contracts`;
--> statement-breakpoint
CREATE TABLE `__new_contract_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`contract_seq` integer NOT NULL,
	`run_seq` integer,
	`action` text NOT NULL,
	`origin_hash` text,
	`target_hash` text,
	`data` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`contract_seq`) REFERENCES `contracts`(`seq`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_seq`) REFERENCES `runs`(`seq`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_contract_versions` (`id`, `contract_seq`, `run_seq`, `action`, `origin_hash`, `target_hash`,
    `data`, `updated_at`)
  SELECT v.`id`, c.`rowid`, v.`run_seq`, v.`action`, v.`origin_hash`, v.`target_hash`, v.`data`, v.`updated_at`
  FROM `contract_versions` AS v JOIN `contracts` AS c ON c.`id` = v.`contract_id`;
--> statement-breakpoint
DROP TRIGGER `synchronisations_number`;
--> statement-breakpoint
DROP TRIGGER `runs_number`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_update`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_delete`;
--> statement-breakpoint
DROP TABLE `contract_versions`;
--> statement-breakpoint
DROP TABLE `contracts`;
--> statement-breakpoint
ALTER TABLE `__new_contracts` RENAME TO `contracts`;
--> statement-breakpoint
ALTER TABLE `__new_contract_versions` RENAME TO `contract_versions`;
--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_id` ON `contracts` (`id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_sync_origin` ON `contracts` (`sync_seq`,`origin_id`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_target` ON `contracts` (`sync_seq`,`target_id`);
--> statement-breakpoint
CREATE INDEX `contracts_sync` ON `contracts` (`sync_seq`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_status` ON `contracts` (`sync_seq`,`status`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_action` ON `contracts` (`sync_seq`,`last_action`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_deleted` ON `contracts` (`sync_seq`,`origin_id`) WHERE "contracts"."status" = 'deleted';
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_versions_run_contract` ON `contract_versions` (`run_seq`,`contract_seq`);
--> statement-breakpoint
CREATE INDEX `contract_versions_contract` ON `contract_versions` (`contract_seq`,`id`);
--> statement-breakpoint
CREATE TRIGGER `contracts_sync_kept` BEFORE UPDATE OF `sync_seq` ON `contracts`
  WHEN NEW.`sync_seq` IS NOT OLD.`sync_seq` BEGIN
  SELECT RAISE(ABORT, 'a contract keeps its synchronisation');
END;
--> statement-breakpoint
CREATE TRIGGER `contract_counts_insert` AFTER INSERT ON `contracts` BEGIN
  INSERT INTO `contract_counts` (`org_id`, `synchronisation_id`, `status`, `last_action`, `n`)
  VALUES (NEW.`org_id`, (SELECT `id` FROM `synchronisations` WHERE `seq` = NEW.`sync_seq`), NEW.`status`,
    coalesce(NEW.`last_action`, ''), 1)
  ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `contract_counts_delete` AFTER DELETE ON `contracts` BEGIN
  UPDATE `contract_counts` SET `n` = `n` - 1
  WHERE `synchronisation_id` = (SELECT `id` FROM `synchronisations` WHERE `seq` = OLD.`sync_seq`)
    AND `status` = OLD.`status` AND `last_action` = coalesce(OLD.`last_action`, '');
END;
--> statement-breakpoint
CREATE TRIGGER `contract_counts_update` AFTER UPDATE OF `status`, `last_action` ON `contracts`
  WHEN NEW.`status` IS NOT OLD.`status` OR NEW.`last_action` IS NOT OLD.`last_action`
BEGIN
  UPDATE `contract_counts` SET `n` = `n` - 1
  WHERE `synchronisation_id` = (SELECT `id` FROM `synchronisations` WHERE `seq` = OLD.`sync_seq`)
    AND `status` = OLD.`status` AND `last_action` = coalesce(OLD.`last_action`, '');
  INSERT INTO `contract_counts` (`org_id`, `synchronisation_id`, `status`, `last_action`, `n`)
  VALUES (NEW.`org_id`, (SELECT `id` FROM `synchronisations` WHERE `seq` = NEW.`sync_seq`), NEW.`status`,
    coalesce(NEW.`last_action`, ''), 1)
  ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `contract_versions_rewritten` AFTER UPDATE OF `target_hash`, `data` ON `contract_versions`
BEGIN
  DELETE FROM `version_data` WHERE `version_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `synchronisations_number` AFTER INSERT ON `synchronisations` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `sync_number_counter` SET `n` = 1 + max(`n`,
    (SELECT coalesce(max(`seq`), 0) FROM `synchronisations`),
    (SELECT coalesce(max(`sync_seq`), 0) FROM `contracts`))
  WHERE `id` = 1;
  UPDATE `synchronisations` SET `seq` = (SELECT `n` FROM `sync_number_counter` WHERE `id` = 1)
  WHERE `rowid` = NEW.`rowid`;
END;
--> statement-breakpoint
CREATE TRIGGER `runs_number` AFTER INSERT ON `runs` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `runs` SET `seq` = 1 + max(
    (SELECT coalesce(max(`seq`), 0) FROM `runs`),
    (SELECT coalesce(max(`run_seq`), 0) FROM `contract_versions`))
  WHERE `rowid` = NEW.`rowid`;
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
    AND v.`contract_seq` IN (SELECT `seq` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
