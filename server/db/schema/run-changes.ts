// Which change each push run delivered to its subscriber: one row per (change, subscriber). The unique
// index is what makes the hub's fan-out idempotent — a change queued twice for the same subscriber (a
// drain retried, a process restarted before its outbox row was taken) is claimed once, by one run, and
// every other run finds it taken and sends nothing. The rows are also each leg's "Changes delivered".
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { schemas } from './registers';
import { runs } from './runs';
import { synchronisations } from './synchronisations';

// pending: claimed by the run, not yet settled (a run that died here delivers it when resumed);
// sent: the target took it; unchanged: nothing to send (the target holds it, or only unsubscribed
// fields changed); failed: refused or not answered (the next run tries again); deleted / kept: a
// deletion made, or left alone by the deletion rules.
export const RUN_CHANGE_OUTCOMES = ['pending', 'sent', 'unchanged', 'failed', 'deleted', 'kept'] as const;
export type RunChangeOutcome = (typeof RUN_CHANGE_OUTCOMES)[number];

export const runChanges = sqliteTable(
  'run_changes',
  {
    orgId: orgIdColumn(),
    changeId: text('change_id').notNull(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    schemaId: text('schema_id')
      .notNull()
      .references(() => schemas.id, { onDelete: 'cascade' }),
    // The register object (no foreign key: a deleted object's deletion is delivered too).
    objectId: text('object_id').notNull(),
    outcome: text('outcome', { enum: RUN_CHANGE_OUTCOMES }).notNull().default('pending'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('run_changes_delivery').on(t.changeId, t.synchronisationId),
    index('run_changes_run').on(t.runId),
    index('run_changes_schema').on(t.orgId, t.schemaId, t.createdAt),
    index('run_changes_sync').on(t.synchronisationId),
  ],
);
