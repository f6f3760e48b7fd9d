// Write-ahead of creates at an external system (seed 004's "exactly once" at a REST target that
// assigns its own ids). A row is written before the POST leaves and marked `sent` with the new id as
// soon as the answer arrives, before the contract is. A process killed in between leaves the row: the
// step that runs again adopts a `sent` object instead of creating it twice, and asks the target for a
// `sending` one (its match field) before sending it again. A create the target took (a 2xx) without an
// answer naming the new object is `accepted`, keeping the object it sent: it may be there, so it is not
// sent again blindly. Rows whose contract exists are purged when the run finishes. See
// server/sync/targets/create-intents.ts.
import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';

export const CREATE_INTENT_STATES = ['sending', 'sent', 'accepted'] as const;
export type CreateIntentState = (typeof CREATE_INTENT_STATES)[number];

export const createIntents = sqliteTable(
  'create_intents',
  {
    orgId: orgIdColumn(),
    synchronisationId: text('synchronisation_id')
      .notNull()
      .references(() => synchronisations.id, { onDelete: 'cascade' }),
    // The system written to (a two-way synchronisation writes back to its source).
    systemId: text('system_id').notNull(),
    // The engine's key for the object being created (the origin id, or a two-way pair's key).
    originId: text('origin_id').notNull(),
    // Sent again with a repeat, so a target that honours Idempotency-Key recognises it.
    idempotencyKey: text('idempotency_key').notNull(),
    runId: text('run_id').notNull(),
    state: text('state', { enum: CREATE_INTENT_STATES }).notNull().default('sending'),
    targetId: text('target_id'),
    targetHash: text('target_hash'),
    // `sending` and `accepted`: the object the create sent (what the target may hold: a two-way listing
    // knows it again by it), null once `sent`.
    sentObject: text('sent_object', { mode: 'json' }).$type<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.synchronisationId, t.systemId, t.originId] }),
    index('create_intents_run').on(t.runId),
  ],
);
