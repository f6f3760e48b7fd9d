// What a synchronisation may do to its target. Its own module: the database schema and the forms read
// the list without pulling in the engine.

/**
 * - upsert:      create objects the target lacks, update those it has
 * - insert-only: only create; an object written before is left as it is
 * - update-only: never create; update the objects the target has (written before, or with the origin's id)
 * - mirror:      upsert, and the target follows the source's deletions (a hard delete)
 */
export const WRITE_MODES = ['upsert', 'insert-only', 'update-only', 'mirror'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];
