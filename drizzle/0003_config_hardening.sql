ALTER TABLE `runs` ADD `page_cap` integer;--> statement-breakpoint
-- The page cap's default was 50 and was written into every saved synchronisation, so a stored 50 cannot
-- tell a chosen cap from the old default; it is taken for the default (now 10,000 and no longer stored).
UPDATE `synchronisations` SET `source_config` = json_remove(`source_config`, '$.maxPages')
  WHERE json_valid(`source_config`) AND json_extract(`source_config`, '$.maxPages') = 50;--> statement-breakpoint
-- Saved settings keep only what their source reads (server/sync/config/applicable.ts).
UPDATE `synchronisations` SET `source_config` = json_remove(`source_config`, '$.pagination', '$.query', '$.headers')
  WHERE json_valid(`source_config`) AND `source_id` IN (SELECT `id` FROM `sources` WHERE `type` <> 'rest');--> statement-breakpoint
UPDATE `synchronisations` SET `source_config` = json_remove(`source_config`, '$.maxPages')
  WHERE json_valid(`source_config`) AND `source_id` IN (SELECT `id` FROM `sources` WHERE `type` IN ('file', 'register'));--> statement-breakpoint
UPDATE `synchronisations` SET `source_config` = json_remove(`source_config`, '$.resultsPosition')
  WHERE json_valid(`source_config`) AND `source_id` IN (SELECT `id` FROM `sources` WHERE `type` IN ('register', 'sql')
    OR (`type` = 'file' AND json_valid(`config`) AND json_extract(`config`, '$.format') = 'csv'));--> statement-breakpoint
UPDATE `synchronisations` SET `source_config` = json_remove(`source_config`, '$.sql')
  WHERE json_valid(`source_config`) AND `source_id` IN (SELECT `id` FROM `sources` WHERE `type` <> 'sql');
--> statement-breakpoint
-- A REST target's soft deletion used to send DELETE like a hard one; it now sends the configured
-- "mark as deleted" request. Synchronisations saved before keep what they did: they delete.
UPDATE `synchronisations` SET `delete_mode` = 'hard' WHERE `target_type` = 'source' AND `delete_mode` = 'soft';
