-- The contracts list goes in the order Concord first recorded its contracts (the rowid, which every
-- SQLite index ends in) and its filter indexes no longer end in origin_id (issue 14): with a source of
-- random ids (UUIDs) each new contract's entry in those two indexes landed on a leaf page of its own,
-- written whole to the WAL at the page's commit (2,089 MB written for a 100k initial pull; 793 MB on
-- these). Deletion planning walks the origin-id index instead, and passes over deleted contracts by the
-- partial index below, which a contract enters only when it is deleted.
DROP INDEX `contracts_sync_status_origin`;
--> statement-breakpoint
DROP INDEX `contracts_sync_action_origin`;
--> statement-breakpoint
CREATE INDEX `contracts_sync` ON `contracts` (`sync_seq`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_status` ON `contracts` (`sync_seq`,`status`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_action` ON `contracts` (`sync_seq`,`last_action`);
--> statement-breakpoint
CREATE INDEX `contracts_sync_deleted` ON `contracts` (`sync_seq`,`origin_id`) WHERE "contracts"."status" = 'deleted';
