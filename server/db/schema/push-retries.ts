// Changes a push could not deliver, waiting to be sent again by themselves: one row per subscribing
// synchronisation and register object. A push run that failed as a whole (the target down) or left
// objects undelivered for a passing reason (a 5xx, a 429, a timeout) schedules them here with a backoff;
// the retry tick (runner/push-retries.ts, both executors) queues a `retry` run of just those objects when
// they are due. In the database, not in timers: a restarted process carries on with what a dead one
// scheduled. A newer change of the object (the outbox's drain) or a delivery removes the row; deleting
// the synchronisation or the schema removes its rows.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamp, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { schemas } from './registers';
import { runs } from './runs';
import { synchronisations } from './synchronisations';

export const pushRetries = sqliteTable(
  'push_retries',
  {
    orgId: orgIdColumn(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    schemaId: text('schema_id')
      .notNull()
      .references(() => schemas.id, { onDelete: 'cascade' }),
    // The register object (no foreign key: a deletion that did not go out is retried too).
    objectId: text('object_id').notNull(),
    // The change the retry delivers (the outbox's change id, null when the run had none): its claim in
    // run_changes moves to the retry run, so the ledger names the run that delivered it.
    changeId: text('change_id'),
    // A deletion keeps the object's data, as the outbox row did: after a hard delete it is where the
    // origin id is read from.
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    // Attempts that failed so far (the first push counts): the next delay grows with it.
    attempts: integer('attempts').notNull().default(1),
    // When the next attempt is due; null while a retry run holds the row (`runId`).
    nextAttemptAt: timestamp('next_attempt_at'),
    // The run that last tried (or now holds) it: its log says why it failed.
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    reason: text('reason'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.synchronisationId, t.objectId] }),
    index('push_retries_due').on(t.nextAttemptAt),
    index('push_retries_run').on(t.runId),
    index('push_retries_schema').on(t.schemaId),
    index('push_retries_org').on(t.orgId),
  ],
);
