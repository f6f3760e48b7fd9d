// The push outbox: changes of register objects waiting to go out to the synchronisations that read
// their schema. A row is written in the same transaction as the change, so a change is never lost
// (a process killed before delivery finds it at its next start), and there is one row per object, so
// a burst of edits coalesces into one delivery of the last version.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { schemas } from './registers';

export const OUTBOX_OPS = ['upsert', 'delete'] as const;
export type OutboxOp = (typeof OUTBOX_OPS)[number];

export const outbox = sqliteTable(
  'outbox',
  {
    id: primaryId('outbox'),
    orgId: orgIdColumn(),
    schemaId: text('schema_id')
      .notNull()
      .references(() => schemas.id, { onDelete: 'cascade' }),
    // No foreign key: a hard-deleted object still has to be delivered as a deletion.
    objectId: text('object_id').notNull(),
    // The last change wins: an object created and deleted in one burst is delivered as a deletion.
    op: text('op', { enum: OUTBOX_OPS }).notNull(),
    // A deletion keeps the object's data: after a hard delete it is where the origin id is read from.
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    // Where the last change came from (ChangeOrigin): null for a person (UI, API); otherwise the
    // source of the synchronisation that wrote it. Never sent back to that system.
    originSystemId: text('origin_system_id'),
    originSyncId: text('origin_sync_id'),
    // The change's id, carried by every delivery of it (each leg's run log names it). A newer change of
    // the object replaces it.
    changeId: text('change_id'),
    // How many changes this row stands for (coalesced).
    changes: integer('changes').notNull().default(1),
    // created_at is the first change waiting here, updated_at the last (the debounce counts from it).
    ...timestamps,
  },
  (t) => [
    uniqueIndex('outbox_object').on(t.schemaId, t.objectId),
    index('outbox_updated').on(t.updatedAt),
    index('outbox_org').on(t.orgId),
  ],
);
