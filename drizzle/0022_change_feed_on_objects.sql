CREATE TABLE `change_counter` (
	`id` integer PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `object_tombstones` (
	`seq` integer PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`schema_id` text NOT NULL,
	`object_id` text NOT NULL,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `object_tombstones_object` ON `object_tombstones` (`object_id`);--> statement-breakpoint
CREATE INDEX `object_tombstones_feed` ON `object_tombstones` (`schema_id`,`seq`);--> statement-breakpoint
ALTER TABLE `objects` ADD `change_seq` integer;--> statement-breakpoint
ALTER TABLE `objects` ADD `changed_at` integer;--> statement-breakpoint
CREATE INDEX `objects_feed` ON `objects` (`schema_id`,`change_seq`);--> statement-breakpoint
-- Hand-written: the change feed moves from its own table (object_changes, a row per object) onto the
-- objects — each at the position it had — and the tombstones of objects deleted for good into
-- object_tombstones, at theirs: a reader's cursor stays valid. The counter starts after every
-- position ever handed out. The triggers that keep the feed are replaced in 0023.
INSERT INTO `change_counter` (`id`, `n`) VALUES (1, max(
  coalesce((SELECT `seq` FROM `sqlite_sequence` WHERE `name` = 'object_changes'), 0),
  coalesce((SELECT max(`seq`) FROM `object_changes`), 0)));--> statement-breakpoint
UPDATE `objects` SET `change_seq` = c.`seq`, `changed_at` = c.`changed_at`
  FROM `object_changes` AS c WHERE c.`object_id` = `objects`.`id`;--> statement-breakpoint
-- An object the feed did not hold (there should be none): after every position, by its last update.
UPDATE `objects` SET
    `change_seq` = (SELECT `n` FROM `change_counter` WHERE `id` = 1) + m.`k`,
    `changed_at` = `objects`.`updated_at`
  FROM (SELECT `id`, row_number() OVER (ORDER BY `updated_at`, `id`) AS `k` FROM `objects`
    WHERE `change_seq` IS NULL) AS m
  WHERE m.`id` = `objects`.`id`;--> statement-breakpoint
UPDATE `change_counter` SET `n` = max(`n`, coalesce((SELECT max(`change_seq`) FROM `objects`), 0))
  WHERE `id` = 1;--> statement-breakpoint
INSERT INTO `object_tombstones` (`seq`, `org_id`, `schema_id`, `object_id`, `changed_at`)
  SELECT c.`seq`, c.`org_id`, c.`schema_id`, c.`object_id`, c.`changed_at` FROM `object_changes` AS c
  WHERE NOT EXISTS (SELECT 1 FROM `objects` AS o WHERE o.`id` = c.`object_id`);
