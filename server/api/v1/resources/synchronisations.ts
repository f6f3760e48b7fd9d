// One synchronisation as its page shows it: the configuration with its follow-ups, the synchronisations
// it follows and, two-way, how it writes back with the defaults filled in; after a save, the warnings the
// form shows (another synchronisation writes into the same register schema). Its ETag is drawn from the
// whole answer.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RUN_STATE_KEYS, Synchronisation, toSynchronisation, type SyncRunState } from './index';

export const SynchronisationDetail = Synchronisation.extend({
  followUps: z
    .array(z.object({ id: z.string(), name: z.string(), enabled: z.boolean() }))
    .describe('Run after it, in this order (`followUpIds` sets them).'),
  followedBy: z.array(z.object({ id: z.string(), name: z.string() })).describe('It runs after these.'),
  writeBackResolved: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('Two-way: how the source is written back to, defaults filled in; null when one-way.'),
}).meta({ id: 'SynchronisationDetail' });

export const SaveWarning = z
  .object({
    field: z.string().describe('The configuration field the warning is about (`targetSchemaId`).'),
    message: z.string(),
    others: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe('The synchronisations it names.'),
  })
  .meta({ id: 'SaveWarning', description: 'Saved, but worth a look: what to do is in the message.' });

export const SavedSynchronisation = SynchronisationDetail.extend({ warnings: z.array(SaveWarning) }).meta({
  id: 'SavedSynchronisation',
  description: 'The configuration as saved, with what the form would warn about.',
});

export function toSynchronisationDetail(
  row: Record<string, unknown>,
  state: SyncRunState,
  related: {
    followUps: { id: string; name: string; enabled: boolean }[];
    followedBy: { id: string; name: string }[];
    writeBackResolved: object | null;
  },
): z.output<typeof SynchronisationDetail> {
  return {
    ...toSynchronisation(row, state),
    followUps: related.followUps,
    followedBy: related.followedBy,
    writeBackResolved: related.writeBackResolved as Record<string, unknown> | null,
  };
}

/**
 * The ETag: a number drawn from the whole answer but where it stands with its runs (the next run time
 * moves on at every run: a program's If-Match would fail for no change of configuration). `updatedAt`
 * alone would not do: switching on or off keeps it (the skip rule's clock), and so does another
 * synchronisation naming this one as follow-up.
 */
export function contentVersion(body: object): number {
  const configuration: Record<string, unknown> = { ...body };
  for (const key of RUN_STATE_KEYS) delete configuration[key];
  const digest = createHash('sha256').update(JSON.stringify(configuration)).digest('hex');
  // 48 bits: a safe integer, as If-Match is read as one.
  return Number.parseInt(digest.slice(0, 12), 16);
}

export const IncrementalState = z
  .object({
    field: z.string().describe('The field whose largest value read is the cursor.'),
    lookbackSeconds: z.int().describe('How far back each run asks, before the cursor.'),
    cursor: z.union([z.string(), z.number()]).nullable().describe('Null: the next run lists everything.'),
    cursorSetAt: z.iso.datetime().nullable(),
    runsSinceFull: z.int(),
    runsUntilFull: z
      .int()
      .nullable()
      .describe('Incremental runs left before a full one (0: the next is full); null: not counted.'),
    reconcileCron: z.string().nullable(),
    nextReconcileAt: z.iso.datetime().nullable(),
  })
  .nullable()
  .meta({
    id: 'IncrementalState',
    description:
      'Incremental reading: the cursor and the next full reconciliation; null when it reads everything.',
  });

export function toIncrementalState(
  state: {
    field: string;
    lookbackSeconds: number;
    cursor: string | number | null;
    cursorSetAt: Date | null;
    runsSinceFull: number;
    runsUntilFull: number | null;
    reconcileCron: string | null;
    nextReconcileAt: Date | null;
  } | null,
): z.output<typeof IncrementalState> {
  if (!state) return null;
  return {
    ...state,
    cursorSetAt: state.cursorSetAt?.toISOString() ?? null,
    nextReconcileAt: state.nextReconcileAt?.toISOString() ?? null,
  };
}
