DROP INDEX `contracts_org_sync_origin`;--> statement-breakpoint
DROP INDEX `contracts_sync_status_origin`;--> statement-breakpoint
DROP INDEX `contracts_sync_action_origin`;--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_sync_origin` ON `contracts` (`synchronisation_id`,`origin_id`);--> statement-breakpoint
CREATE INDEX `contracts_sync_status_origin` ON `contracts` (`synchronisation_id`,`status`,`origin_id`);--> statement-breakpoint
CREATE INDEX `contracts_sync_action_origin` ON `contracts` (`synchronisation_id`,`last_action`,`origin_id`);