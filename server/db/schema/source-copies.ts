// The source objects contracts keep (contracts.origin_copy), stored a page at a time: a run's page of
// new or changed source objects becomes one or a few rows here, each the page's objects as one
// deflated JSON array. Kept apiece as JSONB they took 171 bytes of every contract row (the 208-byte
// objects of the benchmark); together, the keys and shapes they share compress away to about 25
// (issue 14). Readers go through server/sync/stores/source-copies.ts, which inflates them.
import { blob, index, integer, sqliteTable } from 'drizzle-orm/sqlite-core';
import { synchronisations } from './synchronisations';

/**
 * A run of source objects, deflated together. `live` counts the contracts that still point into it:
 * triggers on `contracts` take one off whenever a contract points elsewhere or goes, and delete the row
 * at 0 (migration 0048). Retention compacts rows where few of their objects are still pointed at.
 */
export const sourceCopies = sqliteTable(
  'source_copies',
  {
    // AUTOINCREMENT: a number is never handed out twice, so a contract can never point into a row that
    // took the place of its own. The contract store inserts a page's rows in one statement, so they
    // number in a row (stores/contract-store.ts relies on it).
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    // Deleting the synchronisation deletes its copies (its contracts' triggers would, one by one).
    syncSeq: integer('sync_seq')
      .notNull()
      .references(() => synchronisations.seq, { onDelete: 'cascade' }),
    // How many objects the array holds, and how many of them contracts still point at.
    objects: integer('objects').notNull(),
    live: integer('live').notNull(),
    // deflate-raw of the objects' JSON array (node:zlib).
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  // A synchronisation's deletion finds its rows by it (one entry per row of copies: per ~600 objects).
  (t) => [index('source_copies_sync').on(t.syncSeq)],
);
