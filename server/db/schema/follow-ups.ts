// Follow-up synchronisations: the ones that run after a synchronisation's run finishes, with the same
// test/force mode. A relation, so deleting either side removes the link (no dangling ids in JSON).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';

export const syncFollowUps = sqliteTable(
  'sync_follow_ups',
  {
    orgId: orgIdColumn(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    followUpId: text('follow_up_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    /** The order they were chosen in: the order they are shown and queued in. */
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.synchronisationId, t.followUpId] }),
    index('sync_follow_ups_follow_up').on(t.followUpId),
    index('sync_follow_ups_org').on(t.orgId),
  ],
);
