// A record's history: what a version of an object records, and how many versions a contract keeps.

/** How many versions a contract keeps: the newest ones (older ones are pruned as new ones arrive). */
export const CONTRACT_VERSIONS_KEPT = 50;

/** What a run did to an object that changed it (two-way: also written back to the source, or matched). */
export const VERSION_ACTIONS = ['create', 'update', 'rewrite', 'delete', 'write-back', 'match'] as const;
export type VersionAction = (typeof VERSION_ACTIONS)[number];
