-- A run's entries indexed by action and reason: the run log's groups are counted along the index and
-- each group's first examples read from it (issue 14: a run of a million invalid objects).
DROP INDEX `run_entries_run_action`;--> statement-breakpoint
CREATE INDEX `run_entries_run_group` ON `run_entries` (`run_id`,`action`,`reason`);