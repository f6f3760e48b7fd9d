-- A version's data that its register object held is copied into a table of its own before the object
-- changes or goes (issue 14), no longer into the version row. Growing the version row in place split its
-- page nearly every time (since 0032 a versions page keeps ~85 bytes free and the copy is ~120), so the
-- 1 % changed case wrote 85 MB per 100k objects where it wrote 73 before. version_data is keyed by the
-- version's id (its rowid): deleting a version (pruning, its contract's deletion) deletes its copy.
-- Copies made before this migration stay in their version rows; the history reads either
-- (server/services/record-history.ts).
CREATE TABLE `version_data` (
	`version_id` integer PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`version_id`) REFERENCES `contract_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_update`;
--> statement-breakpoint
DROP TRIGGER `objects_keep_version_data_delete`;
--> statement-breakpoint
-- NOT EXISTS: an object that comes back to data an older version already has a copy of (a person's
-- edit undone by the synchronisation) matches that version again.
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
END;
--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync_seq` IS NOT NULL
BEGIN
  INSERT INTO `version_data` (`version_id`, `data`)
  SELECT v.`id`, OLD.`data` FROM `contract_versions` AS v
  WHERE v.`data` IS NULL AND v.`action` <> 'delete' AND v.`target_hash` = OLD.`hash`
    AND v.`contract_id` IN (SELECT `id` FROM `contracts`
      WHERE `sync_seq` = OLD.`updated_by_sync_seq` AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`)
    AND NOT EXISTS (SELECT 1 FROM `version_data` AS d WHERE d.`version_id` = v.`id`);
END;
--> statement-breakpoint
-- A version rewritten by a retried step holds its data again or leaves it to the object, which then
-- holds exactly what it names: a copy made before is of something else, and goes.
CREATE TRIGGER `contract_versions_rewritten` AFTER UPDATE OF `target_hash`, `data` ON `contract_versions`
BEGIN
  DELETE FROM `version_data` WHERE `version_id` = NEW.`id`;
END;
