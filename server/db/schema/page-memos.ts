// What a synchronisation's listing last read on each page, so that a page read again unchanged can be
// decided without hashing or loading its contracts (issue 14; server/sync/core/page-memo.ts).
import { blob, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamp } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';

/**
 * A page's memo: the digest of the objects the page held, and the origin hash each of them has (16
 * bytes apiece, in the page's order). Hashing is a pure function of the objects, so the hashes stand for
 * any page whose objects digest the same under the same `key` (the engine's hashing and conditions);
 * the memo says nothing about contracts, which are checked every time (stores/page-memos.ts). One row
 * per page number, rewritten when the page changes; deleted with its synchronisation.
 */
export const pageMemos = sqliteTable(
  'page_memos',
  {
    orgId: orgIdColumn(),
    syncSeq: integer('sync_seq')
      .notNull()
      .references(() => synchronisations.seq, { onDelete: 'cascade' }),
    page: integer('page').notNull(),
    digest: text('digest').notNull(),
    key: text('key').notNull(),
    hashes: blob('hashes', { mode: 'buffer' }).notNull(),
    writtenAt: timestamp('written_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.syncSeq, t.page] })],
);
