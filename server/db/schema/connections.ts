// Connections: the synchronisations created together from one source's discovered data types (tables,
// endpoints, a file's columns), run and scheduled together. Each member synchronisation keeps its own
// configuration, contracts and log; the connection only groups them (`synchronisations.connection_id`).
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamp, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { registers } from './registers';
import { sources } from './sources';

export const connections = sqliteTable(
  'connections',
  {
    id: primaryId('connection'),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    // Where the data types were discovered, and the register their schemas were created in. A source
    // is deleted only once no synchronisation reads it, so by then its connection is an empty group.
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    registerId: text('register_id').references(() => registers.id, { onDelete: 'set null' }),
    // One schedule for the whole connection: when due, every enabled member is run.
    scheduleCron: text('schedule_cron'),
    scheduleTimezone: text('schedule_timezone').notNull().default('UTC'),
    // Written by the schedule ticker, not by edits.
    nextRunAt: timestamp('next_run_at'),
    ...timestamps,
  },
  (t) => [
    index('connections_org').on(t.orgId),
    index('connections_source').on(t.sourceId),
    index('connections_register').on(t.registerId),
    index('connections_next_run').on(t.nextRunAt),
  ],
);
