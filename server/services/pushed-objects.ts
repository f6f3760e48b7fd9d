// Push in (seed 003 `pushDataFromDatasource`): up to MAX_PUSHED_OBJECTS objects of an external system,
// through one of the organisation's synchronisations into its register schema — the same engine as a
// listing (sync/run/pushed-batch.ts) — answering per object: its origin id, what happened, the
// register object it became, or why it was refused.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { contracts, contractsOfOrg, ofSynchronisation, runEntries, runs } from '../db/schema';
import { notifyOutbox } from '../runner/dispatch';
import { urlPolicy } from '../runner/url-policy';
import { readOriginId } from '../sync/core/ids';
import { executePushedBatch } from '../sync/run/pushed-batch';
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
  // Never alongside a run that writes the same contracts.
  const [active] = await db
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

  const [run] = await db
    .insert(runs)
    .values({ orgId, synchronisationId: syncId, trigger: 'api', test: options.test ?? false })
    .returning();
  const { summary, idField } = await executePushedBatch(db, run!.id, objects, direct, {
    urlPolicy: urlPolicy(),
    changesQueued: (change) => void notifyOutbox(db, change),
  });

  const ids = objects.map((o) => (idField ? readOriginId(o, idField) : null));
  const originIds = ids.flatMap((r) => (r?.ok ? [r.id] : []));
  const entries = originIds.length
    ? await db
        .select({ originId: runEntries.originId, action: runEntries.action, reason: runEntries.reason })
        .from(runEntries)
        .where(and(eq(runEntries.runId, run!.id), inArray(runEntries.originId, originIds)))
    : [];
  const contractRows = originIds.length
    ? await db
        .select({ originId: contracts.originId, targetId: contracts.targetId })
        .from(contracts)
        .where(and(contractsOfOrg(orgId), ofSynchronisation(syncId), inArray(contracts.originId, originIds)))
    : [];
  const entryOf = new Map(entries.map((e) => [e.originId, e]));
  const targetOf = new Map(contractRows.map((c) => [c.originId, c.targetId]));
  const results: PushedResult[] = objects.map((_, index) => {
    const id = ids[index];
    if (!id || !id.ok)
      return {
        index,
        originId: null,
        outcome: 'invalid',
        objectId: null,
        reason: id && !id.ok ? `Not identified: ${id.reason}.` : summary.message,
      };
    const entry = entryOf.get(id.id);
    if (entry && (entry.action === 'invalid' || entry.action === 'failed'))
      return {
        index,
        originId: id.id,
        outcome: entry.action,
        objectId: targetOf.get(id.id) ?? null,
        reason: entry.reason,
      };
    const objectId = targetOf.get(id.id) ?? null;
    return {
      index,
      originId: id.id,
      outcome: objectId ? 'written' : 'skipped',
      objectId,
      reason: objectId ? null : 'Filtered out or not written (test run).',
    };
  });
  return {
    runId: run!.id,
    result: summary.result,
    message: summary.message,
    counts: summary.counts,
    results,
  };
}
