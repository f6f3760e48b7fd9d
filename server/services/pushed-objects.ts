// Push in (seed 003 `pushDataFromDatasource`): up to MAX_PUSHED_OBJECTS objects of an external system,
// through one of the organisation's synchronisations into its register schema — the same engine as a
// listing (sync/run/pushed-batch.ts) — answering per object: its origin id, what happened, the
// register object it is, or why it was refused. Each object's answer is what the engine settled for it
// at its place in the batch (a repeated id is its own answer, not its first occurrence's), so the answers
// add up to the run's counts and agree with its log.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { contracts, contractsOfOrg, ofSynchronisation, runs } from '../db/schema';
import { notifyOutbox } from '../runner/dispatch';
import { urlPolicy } from '../runner/url-policy';
import type { PlacedOutcome } from '../sync/core/run-page';
import { whileBatchBeats } from '../sync/run/batch-heartbeat';
import { executePushedBatch, pushedBatchCursor } from '../sync/run/pushed-batch';
import { UserError } from './errors';
import { ACTIVE_RUN_STATUSES } from './runs';
import { loadSynchronisation } from './synchronisations';

export const MAX_PUSHED_OBJECTS = 1000;

export type PushedOutcome = 'written' | 'invalid' | 'failed' | 'skipped';

export interface PushedResult {
  index: number;
  originId: string | null;
  outcome: PushedOutcome;
  objectId: string | null;
  reason: string | null;
}

const direct = { run: <T>(_id: string, fn: () => Promise<T>) => fn() };

export async function pushObjects(
  db: Db,
  orgId: string,
  syncId: string,
  objects: Record<string, unknown>[],
  options: { test?: boolean } = {},
) {
  const sync = await loadSynchronisation(db, orgId, syncId);
  if (sync.targetType !== 'register' || !sync.targetSchemaId)
    throw new UserError(
      'BAD_REQUEST',
      'Objects can be pushed only through a synchronisation into a register.',
    );
  if (sync.direction === 'two-way')
    throw new UserError('BAD_REQUEST', 'Objects cannot be pushed through a two-way synchronisation.');
  if (!sync.enabled && !options.test)
    throw new UserError(
      'BAD_REQUEST',
      'This synchronisation is disabled: enable it first, or send test: true.',
    );
  if (objects.length > MAX_PUSHED_OBJECTS)
    throw new UserError('BAD_REQUEST', `Send at most ${MAX_PUSHED_OBJECTS} objects per request.`, 'objects');
  // Never alongside a run that writes the same contracts. The look and the insert in one write
  // transaction: two batches pushed at once would otherwise each find none active and both be written.
  const run = await db.transaction(async (tx) => {
    const [active] = await tx
      .select({ id: runs.id })
      .from(runs)
      .where(
        and(
          eq(runs.synchronisationId, syncId),
          eq(runs.test, false),
          inArray(runs.status, [...ACTIVE_RUN_STATUSES]),
        ),
      )
      .limit(1);
    if (active && !options.test)
      throw new UserError(
        'CONFLICT',
        `Run ${active.id} of this synchronisation is active: push again when it has ended.`,
      );
    // Running from the start, never queued: no executor may claim it, and it is marked as a batch (a
    // listing is never made of it, also by the recovery of a process that died under it).
    const [inserted] = await tx
      .insert(runs)
      .values({
        orgId,
        synchronisationId: syncId,
        trigger: 'api',
        test: options.test ?? false,
        status: 'running',
        startedAt: new Date(),
        cursor: pushedBatchCursor(objects.length),
      })
      .returning();
    return inserted;
  });
  // Beating while it is written: should this process die, the tick ends the run (batch-heartbeat.ts).
  const batch = await whileBatchBeats(db, run!.id, () =>
    executePushedBatch(db, run!.id, objects, direct, {
      urlPolicy: urlPolicy(),
      changesQueued: (change) => void notifyOutbox(db, change),
    }),
  );
  const { summary } = batch;
  // The run could not start (its configuration could not be loaded): nothing was written.
  if (!batch.objects) {
    const results = objects.map((_, index): PushedResult => ({
      index,
      originId: null,
      outcome: 'invalid',
      objectId: null,
      reason: summary.message,
    }));
    return {
      runId: run!.id,
      result: summary.result,
      message: summary.message,
      counts: summary.counts,
      results,
    };
  }

  // The register object of each id that has a contract; a repeated id's contract is its first object's.
  const originIds = batch.objects.flatMap((o) => (o.originId !== null && !o.repeat ? [o.originId] : []));
  const contractRows = originIds.length
    ? await db
        .select({ originId: contracts.originId, targetId: contracts.targetId })
        .from(contracts)
        .where(and(contractsOfOrg(orgId), ofSynchronisation(syncId), inArray(contracts.originId, originIds)))
    : [];
  const targetOf = new Map(contractRows.map((c) => [c.originId, c.targetId]));
  const results = batch.objects.map((placed): PushedResult => {
    const objectId =
      placed.originId !== null && !placed.repeat ? (targetOf.get(placed.originId) ?? null) : null;
    return { index: placed.index, originId: placed.originId, objectId, ...outcomeOf(placed, summary.test) };
  });
  return {
    runId: run!.id,
    result: summary.result,
    message: summary.message,
    counts: summary.counts,
    results,
  };
}

/** What one object's place in the run amounts to for the caller. */
function outcomeOf(placed: PlacedOutcome, test: boolean): Pick<PushedResult, 'outcome' | 'reason'> {
  switch (placed.count) {
    case 'invalid':
    case 'failed':
      return { outcome: placed.count, reason: placed.reason };
    case 'created':
    case 'updated':
    case 'rewritten':
      return test
        ? { outcome: 'skipped', reason: `Test run: it would be ${WOULD[placed.count]}; nothing was written.` }
        : { outcome: 'written', reason: null };
    case 'filtered':
      return { outcome: 'skipped', reason: "Filtered out by the synchronisation's conditions: not written." };
    default:
      // Update only, and no such object in the register: the engine leaves it alone.
      if (placed.action === 'update' && !test)
        return {
          outcome: 'skipped',
          reason: 'Update only: no such object in the register, so none was created.',
        };
      return { outcome: 'skipped', reason: 'Unchanged since it was last synchronised: not written again.' };
  }
}

const WOULD = { created: 'created', updated: 'updated', rewritten: 'written again unchanged' } as const;
