-- A register object names the synchronisation that last wrote it by the synchronisation's number
-- (synchronisations.seq) instead of its 30-character id (issue 14): about 28 bytes less per object.
-- The number outlives a deleted synchronisation, as the id did, so numbers are never handed out again:
-- the highest ever given is kept in sync_number_counter (before, a number was one above any that a
-- synchronisation or a contract held, and a deleted synchronisation's number could come back once its
-- contracts were gone). An object written by a synchronisation deleted before this migration, whose
-- number is not known any more, gets 0: "a synchronisation since deleted" (numbers start at 1).
-- The triggers of 0032 that keep a version's data read the writer's number, and find its contracts by
-- it directly; they are dropped first (SQLite drops no column a trigger names) and made again.
DROP TRIGGER `objects_keep_version_data_update`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_delete`;
--> statement-breakpoint
CREATE TABLE `sync_number_counter` (
	`id` integer PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `sync_number_counter` (`id`, `n`) VALUES (1, max(
  (SELECT coalesce(max(`seq`), 0) FROM `synchronisations`),
  (SELECT coalesce(max(`sync_seq`), 0) FROM `contracts`)));
--> statement-breakpoint
ALTER TABLE `objects` ADD `updated_by_sync_seq` integer;
--> statement-breakpoint
UPDATE `objects` SET `updated_by_sync_seq` = coalesce(
    (SELECT s.`seq` FROM `synchronisations` s WHERE s.`id` = `objects`.`updated_by_sync`), 0)
  WHERE `updated_by_sync` IS NOT NULL;
--> statement-breakpoint
ALTER TABLE `objects` DROP COLUMN `updated_by_sync`;
--> statement-breakpoint
DROP TRIGGER `synchronisations_number`;
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
  UPDATE `contract_versions` SET `data` = OLD.`data`
  WHERE `data` IS NULL AND `action` <> 'delete' AND `target_hash` = OLD.`hash`
    AND `contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
BEGIN
  UPDATE `contract_versions` SET `data` = OLD.`data`
  WHERE `data` IS NULL AND `action` <> 'delete' AND `target_hash` = OLD.`hash`
    AND `contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`);
END;
