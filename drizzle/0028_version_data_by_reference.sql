-- A version of a register object need not copy its data while the object still holds it (issue 14):
-- the engine stores NULL data for a version when the register object its contract links holds exactly
-- what was written (the same hash) and was last written by that synchronisation (its `updated_by_sync`).
-- These triggers copy the object's data into such versions before it changes — new data, or another
-- writer (a person's edit, another synchronisation) — or before the object is deleted for good. So a
-- version's data is either in its row or in the object, never lost; the history reads it from the object
-- while the hashes agree (server/services/record-history.ts).
CREATE TRIGGER `objects_keep_version_data_update` AFTER UPDATE OF `data`, `updated_by_sync` ON `objects`
  WHEN OLD.`updated_by_sync` IS NOT NULL
    AND (NEW.`data` IS NOT OLD.`data` OR NEW.`updated_by_sync` IS NOT OLD.`updated_by_sync`)
BEGIN
  UPDATE `contract_versions` SET `data` = OLD.`data`
  WHERE `data` IS NULL AND `action` <> 'delete' AND `target_hash` = OLD.`hash`
    AND `contract_id` IN (SELECT `id` FROM `contracts` WHERE `synchronisation_id` = OLD.`updated_by_sync`
      AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`);
END;--> statement-breakpoint
CREATE TRIGGER `objects_keep_version_data_delete` AFTER DELETE ON `objects`
  WHEN OLD.`updated_by_sync` IS NOT NULL
BEGIN
  UPDATE `contract_versions` SET `data` = OLD.`data`
  WHERE `data` IS NULL AND `action` <> 'delete' AND `target_hash` = OLD.`hash`
    AND `contract_id` IN (SELECT `id` FROM `contracts` WHERE `synchronisation_id` = OLD.`updated_by_sync`
      AND `target_id` = OLD.`id` AND `org_id` = OLD.`org_id`);
END;
