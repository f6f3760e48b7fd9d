-- Contracts' indexes lead with a small number per synchronisation instead of its 30-character id
-- (issue 14): about 150 bytes less per contract over the four indexes, and shorter keys to compare on
-- every insert. synchronisations.seq is given by a trigger as a row is inserted: one above any number
-- a synchronisation or a contract holds, so a deleted synchronisation's number is never handed out
-- while any contract could hold it. Neither number changes afterwards, and a contract's must be its
-- synchronisation's (the checks below), so queries may go by either.
ALTER TABLE `synchronisations` ADD `seq` integer;
--> statement-breakpoint
UPDATE `synchronisations` SET `seq` = `rowid`;
--> statement-breakpoint
CREATE UNIQUE INDEX `synchronisations_seq` ON `synchronisations` (`seq`);
--> statement-breakpoint
DROP INDEX `contracts_sync_origin`;
--> statement-breakpoint
DROP INDEX `contracts_sync_target`;
--> statement-breakpoint
DROP INDEX `contracts_sync_status_origin`;
--> statement-breakpoint
DROP INDEX `contracts_sync_action_origin`;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `sync_seq` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
UPDATE `contracts` SET `sync_seq` = (SELECT `seq` FROM `synchronisations` s WHERE s.`id` = `contracts`.`synchronisation_id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_sync_origin` ON `contracts` (`sync_seq`,`origin_id`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_target` ON `contracts` (`sync_seq`,`target_id`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_status_origin` ON `contracts` (`sync_seq`,`status`,`origin_id`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_action_origin` ON `contracts` (`sync_seq`,`last_action`,`origin_id`);
--> statement-breakpoint
CREATE TRIGGER `synchronisations_number` AFTER INSERT ON `synchronisations` WHEN NEW.`seq` IS NULL BEGIN
  UPDATE `synchronisations` SET `seq` = 1 + max(
    (SELECT coalesce(max(`seq`), 0) FROM `synchronisations`),
    (SELECT coalesce(max(`sync_seq`), 0) FROM `contracts`))
  WHERE `rowid` = NEW.`rowid`;
END;
--> statement-breakpoint
CREATE TRIGGER `synchronisations_number_kept` BEFORE UPDATE OF `seq` ON `synchronisations`
  WHEN OLD.`seq` IS NOT NULL AND NEW.`seq` IS NOT OLD.`seq` BEGIN
  SELECT RAISE(ABORT, 'a synchronisation keeps its number (synchronisations.seq)');
END;
--> statement-breakpoint
CREATE TRIGGER `contracts_sync_number_insert` BEFORE INSERT ON `contracts`
  WHEN NEW.`sync_seq` IS NOT (SELECT `seq` FROM `synchronisations` WHERE `id` = NEW.`synchronisation_id`) BEGIN
  SELECT RAISE(ABORT, 'contracts.sync_seq must be its synchronisation''s number (write it as syncSeqOf)');
END;
--> statement-breakpoint
CREATE TRIGGER `contracts_sync_number_update` BEFORE UPDATE OF `sync_seq`, `synchronisation_id` ON `contracts`
  WHEN NEW.`sync_seq` IS NOT OLD.`sync_seq` OR NEW.`synchronisation_id` IS NOT OLD.`synchronisation_id` BEGIN
  SELECT RAISE(ABORT, 'a contract keeps its synchronisation');
END;
--> statement-breakpoint
-- 0028's triggers find the contracts that link an object by its writer's synchronisation: by number now,
-- on the (synchronisation number, target id) index.
DROP TRIGGER `objects_keep_version_data_update`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_delete`;
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
