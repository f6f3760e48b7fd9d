CREATE TABLE `run_listed` (
	`run_id` text NOT NULL,
	`page` integer NOT NULL,
	`n` integer NOT NULL,
	`ids` text NOT NULL,
	PRIMARY KEY(`run_id`, `page`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- A run under way at the upgrade keeps what its pages listed (else deletion planning would take them for gone).
INSERT INTO `run_listed` (`run_id`, `page`, `n`, `ids`)
	SELECT `run_id`, `page`, count(*), json_group_array(`origin_id`) FROM `run_seen` GROUP BY `run_id`, `page`;
--> statement-breakpoint
DROP TABLE `run_seen`;