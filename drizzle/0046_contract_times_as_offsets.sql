-- A contract's six times kept as milliseconds after its creation (issue 14): a new contract's are its
-- creation, offset 0, which SQLite stores in no byte where a time took 6. The stored columns are renamed
-- to `…_offset` and made offsets; virtual columns of the old names read them back (created_at + offset,
-- NULL staying NULL), so every reader is unchanged. The rewrite changes no contract's content: the
-- contract epochs' trigger is set aside for it (else every page memo's stamp would lapse), and made again
-- as migration 0043 made it.
DROP TRIGGER `contract_epochs_update`;
--> statement-breakpoint
ALTER TABLE `contracts` RENAME COLUMN `source_last_changed` TO `source_last_changed_offset`;
--> statement-breakpoint
ALTER TABLE `contracts` RENAME COLUMN `source_last_checked` TO `source_last_checked_offset`;
--> statement-breakpoint
ALTER TABLE `contracts` RENAME COLUMN `source_last_synced` TO `source_last_synced_offset`;
--> statement-breakpoint
ALTER TABLE `contracts` RENAME COLUMN `target_last_changed` TO `target_last_changed_offset`;
--> statement-breakpoint
ALTER TABLE `contracts` RENAME COLUMN `target_last_checked` TO `target_last_checked_offset`;
--> statement-breakpoint
ALTER TABLE `contracts` RENAME COLUMN `target_last_synced` TO `target_last_synced_offset`;
--> statement-breakpoint
UPDATE `contracts` SET `source_last_changed_offset` = `source_last_changed_offset` - `created_at`, `source_last_checked_offset` = `source_last_checked_offset` - `created_at`, `source_last_synced_offset` = `source_last_synced_offset` - `created_at`, `target_last_changed_offset` = `target_last_changed_offset` - `created_at`, `target_last_checked_offset` = `target_last_checked_offset` - `created_at`, `target_last_synced_offset` = `target_last_synced_offset` - `created_at`;
--> statement-breakpoint
CREATE TRIGGER `contract_epochs_update` AFTER UPDATE ON `contracts` BEGIN
  INSERT INTO `contract_epochs` (`sync_seq`, `n`) VALUES (NEW.`sync_seq`, 1)
  ON CONFLICT (`sync_seq`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `source_last_changed` integer GENERATED ALWAYS AS (created_at + source_last_changed_offset) VIRTUAL;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `source_last_checked` integer GENERATED ALWAYS AS (created_at + source_last_checked_offset) VIRTUAL;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `source_last_synced` integer GENERATED ALWAYS AS (created_at + source_last_synced_offset) VIRTUAL;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `target_last_changed` integer GENERATED ALWAYS AS (created_at + target_last_changed_offset) VIRTUAL;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `target_last_checked` integer GENERATED ALWAYS AS (created_at + target_last_checked_offset) VIRTUAL;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `target_last_synced` integer GENERATED ALWAYS AS (created_at + target_last_synced_offset) VIRTUAL;
