// How a hub's fan-out to a two-way leg ended, per change: the delivery ledger (stores/run-changes.ts) and
// the retries (stores/push-retries.ts), as a one-way push settles them (run/push.ts). Read from the
// contracts the run left: written back (sent, deleted), already what the source holds (unchanged), left
// for a person (kept), or not taken (failed). A change the source could not take for a passing reason —
// its write failed as transient, or the source could not even be read (down, refusing connections, 5xx),
// so nothing was compared — is tried again by itself; every other one lets its retry go.
import { and, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contracts, contractsOfOrg, ofSynchronisation, type RunChangeOutcome } from '../../db/schema';
import type { RunSummary } from '../core/run-result';
import type { PushCursor } from '../run/push-cursor';
import { dropRetries, scheduleRetries, type RetryScope } from '../stores/push-retries';
import { settleChanges } from '../stores/run-changes';

export async function settleDelivery(
  db: Db,
  scope: RetryScope,
  push: PushCursor,
  summary: RunSummary,
  run: { startedAt: Date; failed: SourceAnswers },
  delays: readonly number[],
): Promise<void> {
  const { outcomes, passing } = await deliveryOutcomes(db, scope, push.objectIds, run);
  // The source could not be read: what the run did not reach was not compared, let alone delivered.
  const unread = summary.result === 'error' && !summary.complete;
  const retry = new Map<string, string>();
  for (const [objectId, outcome] of outcomes) {
    const reason = passing.get(objectId) ?? (unread && outcome === 'unchanged' ? summary.message : undefined);
    if (reason === undefined) continue;
    outcomes.set(objectId, 'failed');
    retry.set(objectId, reason);
  }
  await settleChanges(db, scope, outcomes);
  await dropRetries(
    db,
    scope.syncId,
    push.objectIds.filter((id) => !retry.has(id)),
  );
  await scheduleRetries(
    db,
    scope,
    [...retry].map(([objectId, reason]) => ({
      objectId,
      changeId: push.changes[objectId] ?? null,
      data: push.removed[objectId] ?? null,
      reason,
    })),
    delays,
  );
}

/**
 * What the source answered to the run's writes, by request (run/push-ledger.ts `observedTarget`): an
 * update under the object's source id, a create under `register:` and its register id (two-way/batch.ts
 * `keyOf`). A create the source refused leaves no contract to read it from.
 */
export type SourceAnswers = {
  readonly answers: ReadonlyMap<string, 'sent' | 'deleted' | 'failed'>;
  readonly passing: ReadonlyMap<string, string>;
};

/**
 * How each change ended at the source: a write the source refused, failed (with the reason when it was
 * a passing one); otherwise from the contracts this run checked — a refusal before the write counts as
 * its status says (failed: passing), whatever the contract's last action still says.
 */
async function deliveryOutcomes(
  db: Db,
  scope: { orgId: string; syncId: string },
  objectIds: readonly string[],
  { startedAt, failed }: { startedAt: Date; failed: SourceAnswers },
): Promise<{ outcomes: Map<string, RunChangeOutcome>; passing: Map<string, string> }> {
  const rows = await db
    .select({
      originId: contracts.originId,
      targetId: contracts.targetId,
      status: contracts.status,
      lastAction: contracts.lastAction,
      lastError: contracts.lastError,
      checked: contracts.sourceLastChecked,
    })
    .from(contracts)
    .where(
      and(
        contractsOfOrg(scope.orgId),
        ofSynchronisation(scope.syncId),
        inArray(contracts.targetId, [...objectIds]),
      ),
    );
  const outcomes = new Map<string, RunChangeOutcome>(objectIds.map((id) => [id, 'unchanged']));
  const passing = new Map<string, string>();
  const refusedAt = (objectId: string, key: string) => {
    if (failed.answers.get(key) !== 'failed') return false;
    outcomes.set(objectId, 'failed');
    const reason = failed.passing.get(key);
    if (reason !== undefined) passing.set(objectId, reason);
    return true;
  };
  for (const objectId of objectIds) refusedAt(objectId, `register:${objectId}`);
  for (const row of rows) {
    if (!row.targetId || refusedAt(row.targetId, row.originId)) continue;
    if (row.checked?.getTime() !== startedAt.getTime()) continue;
    if (row.status === 'failed' || row.status === 'rejected') {
      outcomes.set(row.targetId, 'failed');
      if (row.status === 'failed') passing.set(row.targetId, row.lastError ?? 'the source did not take it');
    } else if (row.status === 'deleted' && row.lastAction === 'delete') outcomes.set(row.targetId, 'deleted');
    else if (row.lastAction === 'write-back') outcomes.set(row.targetId, 'sent');
    else if (row.status === 'conflict' || row.status === 'quarantined' || row.status === 'held')
      outcomes.set(row.targetId, 'kept');
  }
  return { outcomes, passing };
}
