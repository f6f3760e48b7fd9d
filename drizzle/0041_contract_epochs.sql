CREATE TABLE `contract_epochs` (
	`sync_seq` integer PRIMARY KEY NOT NULL,
	`n` integer NOT NULL,
	FOREIGN KEY (`sync_seq`) REFERENCES `synchronisations`(`seq`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `page_memos` ADD `stamp_epoch` integer;--> statement-breakpoint
ALTER TABLE `page_memos` ADD `stamp_edited` integer;--> statement-breakpoint
ALTER TABLE `page_memos` ADD `stamp_run` text;--> statement-breakpoint
-- A contract updated (an upsert's update counts) or deleted moves its synchronisation's epoch, whoever
-- wrote it: the engine, a person, retention. Not while its synchronisation is being deleted (the
-- cascade deletes its contracts after it, and the epoch's row with it).
CREATE TRIGGER `contract_epochs_update` AFTER UPDATE ON `contracts` BEGIN
  INSERT INTO `contract_epochs` (`sync_seq`, `n`) VALUES (NEW.`sync_seq`, 1)
  ON CONFLICT (`sync_seq`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `contract_epochs_delete` AFTER DELETE ON `contracts`
  WHEN EXISTS (SELECT 1 FROM `synchronisations` WHERE `seq` = OLD.`sync_seq`)
BEGIN
  INSERT INTO `contract_epochs` (`sync_seq`, `n`) VALUES (OLD.`sync_seq`, 1)
  ON CONFLICT (`sync_seq`) DO UPDATE SET `n` = `n` + 1;
END;
