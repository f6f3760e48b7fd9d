-- A contract's last write time kept like its six other times (0046): `updated_at_offset`, milliseconds
-- after its creation (0, no byte, until it is written again), read through a virtual column of the old
-- name. The rewrite changes no contract's content: the contract epochs' trigger is set aside for it and
-- made again as migration 0043 made it.
DROP TRIGGER `contract_epochs_update`;
--> statement-breakpoint
ALTER TABLE `contracts` RENAME COLUMN `updated_at` TO `updated_at_offset`;
--> statement-breakpoint
UPDATE `contracts` SET `updated_at_offset` = `updated_at_offset` - `created_at`;
--> statement-breakpoint
CREATE TRIGGER `contract_epochs_update` AFTER UPDATE ON `contracts` BEGIN
  INSERT INTO `contract_epochs` (`sync_seq`, `n`) VALUES (NEW.`sync_seq`, 1)
  ON CONFLICT (`sync_seq`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
ALTER TABLE `contracts` ADD `updated_at` integer NOT NULL GENERATED ALWAYS AS (created_at + updated_at_offset) VIRTUAL;
