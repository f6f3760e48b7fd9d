CREATE TABLE `source_copies` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sync_seq` integer NOT NULL,
	`objects` integer NOT NULL,
	`live` integer NOT NULL,
	`data` blob NOT NULL,
	FOREIGN KEY (`sync_seq`) REFERENCES `synchronisations`(`seq`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `source_copies_sync` ON `source_copies` (`sync_seq`);--> statement-breakpoint
ALTER TABLE `contracts` ADD `origin_copy` integer;--> statement-breakpoint
ALTER TABLE `contracts` ADD `origin_copy_at` integer;
--> statement-breakpoint
-- A contract that points into another page of source copies (or none), or goes, lets go of its own:
-- the copy's row goes when no contract points into it any more.
CREATE TRIGGER `contracts_copy_moved` AFTER UPDATE OF `origin_copy` ON `contracts`
WHEN OLD.`origin_copy` IS NOT NULL AND OLD.`origin_copy` IS NOT NEW.`origin_copy` BEGIN
  UPDATE `source_copies` SET `live` = `live` - 1 WHERE `seq` = OLD.`origin_copy`;
  DELETE FROM `source_copies` WHERE `seq` = OLD.`origin_copy` AND `live` <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER `contracts_copy_deleted` AFTER DELETE ON `contracts`
WHEN OLD.`origin_copy` IS NOT NULL BEGIN
  UPDATE `source_copies` SET `live` = `live` - 1 WHERE `seq` = OLD.`origin_copy`;
  DELETE FROM `source_copies` WHERE `seq` = OLD.`origin_copy` AND `live` <= 0;
END;
