-- The contracts list's unfiltered order (migration 0030) goes by an index on the synchronisation's id
-- instead of its number: the same index then serves the contracts' foreign key. Since 0029 no index
-- began with synchronisation_id, so deleting a synchronisation (or an organisation, once for each of its
-- synchronisations) walked every contract of every organisation to find the ones to delete with it.
DROP INDEX `contracts_sync`;
--> statement-breakpoint
CREATE INDEX `contracts_synchronisation` ON `contracts` (`synchronisation_id`);
