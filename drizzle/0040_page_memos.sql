CREATE TABLE `page_memos` (
	`org_id` text NOT NULL,
	`sync_seq` integer NOT NULL,
	`page` integer NOT NULL,
	`digest` text NOT NULL,
	`key` text NOT NULL,
	`hashes` blob NOT NULL,
	`written_at` integer NOT NULL,
	PRIMARY KEY(`sync_seq`, `page`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sync_seq`) REFERENCES `synchronisations`(`seq`) ON UPDATE no action ON DELETE cascade
);
