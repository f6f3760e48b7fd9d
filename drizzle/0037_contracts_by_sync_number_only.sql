-- A contract names its synchronisation by the synchronisation's number only (issue 14): the 30-character
-- synchronisation_id goes, and the foreign key moves onto sync_seq (synchronisations.seq is unique and
-- never changes), so deleting a synchronisation still deletes its contracts, found by
-- contracts_sync_origin. The unfiltered list's order, until now the foreign key's index on the id
-- (migration 0031), is an index on the number: 30 bytes of row and about 30 of index per contract.
-- The trigger that checked the number against the id goes with the id (0.1 s of the contracts upsert
-- per 100,000); a contract still keeps its synchronisation. The contract counts stay by the
-- synchronisation's id, which their triggers now look up by number.
-- SQLite drops no column a foreign key names, so the table is made again and its rows copied;
-- migrations run with foreign keys off, so dropping the old table deletes no version of a contract.
CREATE TABLE `__new_contracts` (
	`id` text PRIMARY KEY NOT NULL,
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
INSERT INTO `__new_contracts`("id", "org_id", "sync_seq", "parent_origin_id", "origin_id", "target_id", "origin_hash", "target_hash", "sent_hash", "sent_data", "target_base_hash", "origin_sent_hash", "target_data", "flips", "flips_since", "source_last_changed", "source_last_checked", "source_last_synced", "target_last_changed", "target_last_checked", "target_last_synced", "last_action", "status", "last_error", "origin_data", "created_at", "updated_at") SELECT "id", "org_id", "sync_seq", "parent_origin_id", "origin_id", "target_id", "origin_hash", "target_hash", "sent_hash", "sent_data", "target_base_hash", "origin_sent_hash", "target_data", "flips", "flips_since", "source_last_changed", "source_last_checked", "source_last_synced", "target_last_changed", "target_last_checked", "target_last_synced", "last_action", "status", "last_error", "origin_data", "created_at", "updated_at" FROM `contracts`;--> statement-breakpoint
-- Triggers on other tables name contracts: SQLite's check of the schema at the rename would find no
-- such table between the drop and the rename (and sqld takes no legacy_alter_table). They go first and
-- are made again, as they were (0033, 0036), once the new table has the name.
DROP TRIGGER `synchronisations_number`;--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_update`;--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_delete`;--> statement-breakpoint
DROP TABLE `contracts`;--> statement-breakpoint
ALTER TABLE `__new_contracts` RENAME TO `contracts`;--> statement-breakpoint
CREATE TRIGGER `synchronisations_number` AFTER INSERT ON `synchronisations` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `sync_number_counter` SET `n` = 1 + max(`n`,
    (SELECT coalesce(max(`seq`), 0) FROM `synchronisations`),
    (SELECT coalesce(max(`sync_seq`), 0) FROM `contracts`))
  WHERE `id` = 1;
  UPDATE `synchronisations` SET `seq` = (SELECT `n` FROM `sync_number_counter` WHERE `id` = 1)
  WHERE `rowid` = NEW.`rowid`;
END;--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_update` AFTER UPDATE OF `data`, `updated_by_sync_seq` ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
    AND (NEW.`data` IS NOT OLD.`data` OR NEW.`updated_by_sync_seq` IS NOT OLD.`updated_by_sync_seq`)
BEGIN
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
BEGIN
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_sync_origin` ON `contracts` (`sync_seq`,`origin_id`);--> statement-breakpoint
CREATE INDEX `contracts_sync_target` ON `contracts` (`sync_seq`,`target_id`);--> statement-breakpoint
CREATE INDEX `contracts_sync` ON `contracts` (`sync_seq`);--> statement-breakpoint
CREATE INDEX `contracts_sync_status` ON `contracts` (`sync_seq`,`status`);--> statement-breakpoint
CREATE INDEX `contracts_sync_action` ON `contracts` (`sync_seq`,`last_action`);--> statement-breakpoint
CREATE INDEX `contracts_sync_deleted` ON `contracts` (`sync_seq`,`origin_id`) WHERE "contracts"."status" = 'deleted';--> statement-breakpoint
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
