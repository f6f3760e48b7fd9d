// What a synchronisation's listing last read on each page, so that a page read again unchanged can be
// decided without hashing or loading its contracts (issue 14; server/sync/core/page-memo.ts).
import { blob, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamp } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';

/**
 * A page's memo: the digest of the objects the page held, and the origin hash each of them has (16
 * bytes apiece, in the page's order). Hashing is a pure function of the objects, so the hashes stand for
 * any page whose objects digest the same under the same `key` (the engine's hashing and conditions).
 * One row per page number, rewritten when the page changes; deleted with its synchronisation.
 *
 * The stamp says that the page's contracts were all clean (each synced with the memo's hash and a
 * target, checked after the edit `stampEdited`) at `stampEpoch` of the synchronisation's contract epoch,
 * as run `stampRun` found them. While the epoch has not moved, no contract of the synchronisation was
 * written since, so they still are (stores/page-memos.ts); null: not stamped.
 *
 * `answer`: for a REST answer, what the listing read of it besides its objects and the page's origin
 * ids, as JSON (core/pagination/answer-facts.ts): the same answer read again is then not parsed. Null for
 * other pages, and for answers whose facts could not stand for their body.
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
    stampEpoch: integer('stamp_epoch'),
    stampEdited: timestamp('stamp_edited'),
    stampRun: text('stamp_run'),
    answer: text('answer'),
  },
  (t) => [primaryKey({ columns: [t.syncSeq, t.page] })],
);

/**
 * A synchronisation's contract epoch: moved by triggers on `contracts` whenever one of its contracts is
 * updated or deleted (a new contract needs no move: a page stamped clean had a contract for every object
 * already, and another contract for the same origin id needs the old one deleted first). A row per
 * synchronisation that ever had a contract changed; none reads as 0. Page memos' stamps compare with it.
 */
export const contractEpochs = sqliteTable('contract_epochs', {
  syncSeq: integer('sync_seq')
    .primaryKey()
    .references(() => synchronisations.seq, { onDelete: 'cascade' }),
  n: integer('n').notNull(),
});
