-- Records of a file read to its end that could not be read (malformed lines): the run's listing is
-- complete, but not for deletions, and its log says so ("Complete listing").
ALTER TABLE `runs` ADD `unreadable` integer DEFAULT 0 NOT NULL;