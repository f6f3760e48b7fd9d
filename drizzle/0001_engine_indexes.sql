DROP INDEX `objects_org_schema_id`;--> statement-breakpoint
DROP INDEX `contracts_sync_origin`;--> statement-breakpoint
DROP INDEX `contracts_org_sync_origin`;--> statement-breakpoint
DROP INDEX `contracts_sync_status`;--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_org_sync_origin` ON `contracts` (`org_id`,`synchronisation_id`,`origin_id`);--> statement-breakpoint
CREATE INDEX `contracts_sync_status` ON `contracts` (`org_id`,`synchronisation_id`,`status`);