DROP INDEX `contracts_sync_status`;--> statement-breakpoint
CREATE INDEX `contracts_sync_status` ON `contracts` (`synchronisation_id`,`status`);