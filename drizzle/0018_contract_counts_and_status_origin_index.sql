CREATE TABLE `contract_counts` (
	`org_id` text NOT NULL,
	`synchronisation_id` text NOT NULL,
	`status` text NOT NULL,
	`last_action` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`synchronisation_id`, `status`, `last_action`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`synchronisation_id`) REFERENCES `synchronisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contract_counts_org` ON `contract_counts` (`org_id`);--> statement-breakpoint
DROP INDEX `contracts_sync_status`;--> statement-breakpoint
CREATE INDEX `contracts_sync_status_origin` ON `contracts` (`org_id`,`synchronisation_id`,`status`,`origin_id`);--> statement-breakpoint
-- The counts of the contracts that exist already.
INSERT INTO `contract_counts` (`org_id`, `synchronisation_id`, `status`, `last_action`, `n`)
  SELECT `org_id`, `synchronisation_id`, `status`, coalesce(`last_action`, ''), count(*) FROM `contracts`
  GROUP BY `synchronisation_id`, `status`, coalesce(`last_action`, '');--> statement-breakpoint
-- Kept exact by every writer: a contract added, removed, or moved to another status or last action
-- (an upsert's update counts as an update). A skip that stays a skip fires nothing.
CREATE TRIGGER `contract_counts_insert` AFTER INSERT ON `contracts` BEGIN
  INSERT INTO `contract_counts` (`org_id`, `synchronisation_id`, `status`, `last_action`, `n`)
  VALUES (NEW.`org_id`, NEW.`synchronisation_id`, NEW.`status`, coalesce(NEW.`last_action`, ''), 1)
  ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `contract_counts_delete` AFTER DELETE ON `contracts` BEGIN
  UPDATE `contract_counts` SET `n` = `n` - 1 WHERE `synchronisation_id` = OLD.`synchronisation_id`
    AND `status` = OLD.`status` AND `last_action` = coalesce(OLD.`last_action`, '');
END;--> statement-breakpoint
CREATE TRIGGER `contract_counts_update` AFTER UPDATE OF `status`, `last_action` ON `contracts`
  WHEN NEW.`status` IS NOT OLD.`status` OR NEW.`last_action` IS NOT OLD.`last_action`
BEGIN
  UPDATE `contract_counts` SET `n` = `n` - 1 WHERE `synchronisation_id` = OLD.`synchronisation_id`
    AND `status` = OLD.`status` AND `last_action` = coalesce(OLD.`last_action`, '');
  INSERT INTO `contract_counts` (`org_id`, `synchronisation_id`, `status`, `last_action`, `n`)
  VALUES (NEW.`org_id`, NEW.`synchronisation_id`, NEW.`status`, coalesce(NEW.`last_action`, ''), 1)
  ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
