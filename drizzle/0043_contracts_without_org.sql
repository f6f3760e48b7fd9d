-- Contracts hold no organisation of their own (issue 14): the synchronisation holds it, and every query
-- finds contracts through the caller's organisation's synchronisations (contractsOfOrg, syncSeqOfOrg in
-- server/db/schema/contracts.ts). Its copy cost every contract 30 bytes: a 4 KiB page held 10 contracts
-- where it holds 11. Deleting an organisation deletes its synchronisations and so their contracts.
-- SQLite drops no column a foreign key names, so the table is made again and its rows copied, each
-- keeping its rowid as its number (`seq`, by which versions name it); migrations run with foreign keys
-- off, so dropping the old table deletes nothing else. Triggers on other tables that name contracts (the
-- numbering of synchronisations, the copies of versions' data on objects) go first and are made again
-- once the new table has the name (sqld takes no legacy_alter_table); the table's own indexes and
-- triggers are made again, the counts' triggers finding the organisation through the synchronisation,
-- the copies' triggers no longer asking the contract for it (the synchronisation that wrote the object
-- is the organisation's).
CREATE TABLE `__new_contracts` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
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
	FOREIGN KEY (`sync_seq`) REFERENCES `synchronisations`(`seq`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_contracts` (`seq`, `id`, `sync_seq`, `parent_origin_id`, `origin_id`, `target_id`, `origin_hash`, `target_hash`, `sent_hash`, `sent_data`, `target_base_hash`, `origin_sent_hash`, `target_data`, `flips`, `flips_since`, `source_last_changed`, `source_last_checked`, `source_last_synced`, `target_last_changed`, `target_last_checked`, `target_last_synced`, `last_action`, `status`, `last_error`, `origin_data`, `created_at`, `updated_at`)
  SELECT `seq`, `id`, `sync_seq`, `parent_origin_id`, `origin_id`, `target_id`, `origin_hash`, `target_hash`, `sent_hash`, `sent_data`, `target_base_hash`, `origin_sent_hash`, `target_data`, `flips`, `flips_since`, `source_last_changed`, `source_last_checked`, `source_last_synced`, `target_last_changed`, `target_last_checked`, `target_last_synced`, `last_action`, `status`, `last_error`, `origin_data`, `created_at`, `updated_at` FROM `contracts` ORDER BY `seq`;
--> statement-breakpoint
DROP TRIGGER `synchronisations_number`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_update`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_delete`;
--> statement-breakpoint
DROP TABLE `contracts`;
--> statement-breakpoint
ALTER TABLE `__new_contracts` RENAME TO `contracts`;
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
CREATE TRIGGER `contracts_sync_kept` BEFORE UPDATE OF `sync_seq` ON `contracts`
  WHEN NEW.`sync_seq` IS NOT OLD.`sync_seq` BEGIN
  SELECT RAISE(ABORT, 'a contract keeps its synchronisation');
END;
--> statement-breakpoint
CREATE TRIGGER `contract_counts_insert` AFTER INSERT ON `contracts` BEGIN
  INSERT INTO `contract_counts` (`org_id`, `synchronisation_id`, `status`, `last_action`, `n`)
  SELECT s.`org_id`, s.`id`, NEW.`status`, coalesce(NEW.`last_action`, ''), 1
  FROM `synchronisations` AS s WHERE s.`seq` = NEW.`sync_seq`
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
  SELECT s.`org_id`, s.`id`, NEW.`status`, coalesce(NEW.`last_action`, ''), 1
  FROM `synchronisations` AS s WHERE s.`seq` = NEW.`sync_seq`
  ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `contract_epochs_delete` AFTER DELETE ON `contracts`
  WHEN EXISTS (SELECT 1 FROM `synchronisations` WHERE `seq` = OLD.`sync_seq`)
BEGIN
  INSERT INTO `contract_epochs` (`sync_seq`, `n`) VALUES (OLD.`sync_seq`, 1)
  ON CONFLICT (`sync_seq`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `contract_epochs_update` AFTER UPDATE ON `contracts` BEGIN
  INSERT INTO `contract_epochs` (`sync_seq`, `n`) VALUES (NEW.`sync_seq`, 1)
  ON CONFLICT (`sync_seq`) DO UPDATE SET `n` = `n` + 1;
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
