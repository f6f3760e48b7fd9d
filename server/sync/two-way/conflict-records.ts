// What a conflict is recorded with: the base, both sides as the batch found them and their dates. A
// conflict found waits for a person (sort-decisions.ts); one the policy settled at once is kept as history
// with the version that lost, once the write that settled it went through (the write steps).
import type { ConflictKind, PairDecision } from '../core/decide';
import { keyOf, type Batch } from './batch';
import type { ConflictRecord } from './pair-store';
import type { Decided, Pair, TwoWayContext } from './pairs';
import { updatedAtOf } from './updated-at';

export function conflictRecord(ctx: TwoWayContext, pair: Pair, kind: ConflictKind): ConflictRecord {
  const dates = updatedAtOf(ctx, pair);
  return {
    originId: pair.originId ?? keyOf(pair),
    targetId: pair.target?.id ?? pair.contract?.targetId ?? null,
    kind,
    runId: ctx.runId,
    baseData: pair.contract?.targetData ?? null,
    sourceData: pair.source,
    sourceMapped: pair.mapped,
    targetData: pair.target?.data ?? null,
    sourceHash: pair.sourceHash,
    targetHash: pair.target?.hash ?? null,
    sourceUpdatedAt: dates.source,
    targetUpdatedAt: dates.target,
  };
}

/**
 * After a write that went through: if its decision (`as`, the write's own kind) settled a conflict, it
 * counts as settled and the conflict is kept as history, with `losingData`, the version it overwrote.
 */
export async function recordSettled(
  batch: Batch,
  d: Decided,
  as: PairDecision['do'],
  losingData: Record<string, unknown> | null,
): Promise<void> {
  const settled = d.decision.do === as && 'settled' in d.decision ? d.decision.settled : undefined;
  if (!settled) return;
  batch.tally.settled += 1;
  await batch.ports.pairs.recordConflict({
    ...conflictRecord(batch.ctx, d.pair, settled.kind),
    settled: { by: settled.by, losingData },
  });
}
