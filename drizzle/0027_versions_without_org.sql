-- contract_versions without org_id and created_at (issue 14): the contract holds the organisation, and
-- the history shows when a version was written (updated_at). SQLite cannot drop a column named in a
-- foreign key, so the table is made anew; nothing references it, so its rows move as they are (ids
-- kept: within a contract they order its versions).
CREATE TABLE `__new_contract_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`contract_id` text NOT NULL,
	`run_id` text,
	`action` text NOT NULL,
	`origin_hash` text,
	`target_hash` text,
	`data` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_contract_versions` (`id`, `contract_id`, `run_id`, `action`, `origin_hash`, `target_hash`, `data`, `updated_at`)
  SELECT `id`, `contract_id`, `run_id`, `action`, `origin_hash`, `target_hash`, `data`, `updated_at`
  FROM `contract_versions` ORDER BY `id`;
--> statement-breakpoint
DROP TABLE `contract_versions`;
--> statement-breakpoint
ALTER TABLE `__new_contract_versions` RENAME TO `contract_versions`;
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_versions_run_contract` ON `contract_versions` (`run_id`,`contract_id`);
--> statement-breakpoint
CREATE INDEX `contract_versions_contract` ON `contract_versions` (`contract_id`,`id`);
