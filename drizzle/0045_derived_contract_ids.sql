-- Contract ids derived from the rowid and 8 random bytes (issue 14): new contracts store '' as their id
-- and a salt; the unique index holds legacy ids only (every contract recorded before this migration
-- keeps the id it was given, so links and API references to it still work).
DROP INDEX `contracts_id`;--> statement-breakpoint
ALTER TABLE `contracts` ADD `salt` blob;--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_id` ON `contracts` (`id`) WHERE "contracts"."id" <> '';