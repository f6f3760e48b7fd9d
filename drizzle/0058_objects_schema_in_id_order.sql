DROP INDEX `objects_schema`;--> statement-breakpoint
CREATE INDEX `objects_schema` ON `objects` (`schema_seq`,`deleted_at`,`id`);