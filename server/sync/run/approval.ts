// Applies deletions a person approved: the contracts held because a run would have deleted too many
// at once are deleted in the target in batches, each batch a step, and the run log records it.
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  contractReadColumns,
  contracts,
  contractsOfOrg,
  ofSynchronisation,
  type runs,
} from '../../db/schema';
import { contractAfterDelete, mayDelete } from '../core/deletions';
import { approvedDeletionPrefix } from '../core/deletion-decisions';
import { approvalBatchTimeline } from '../core/timeline';
import { addCounts, ZERO_COUNTS, type RunCounts, type RunSummary } from '../core/run-result';
import type { ContractState } from '../core/contracts';
import type { StepRunner } from '../ports';
import { createContractStore } from '../stores/contract-store';
import { createRunRecorder } from '../stores/run-recorder';
import type { AdapterOptions } from './adapters';
import { deletionPolicyOf } from './setup';
import { loadSetupAndTarget } from './setup-and-target';

const BATCH = 500;

// Held contracts are taken in the order they were recorded (the rowid, which the status index ends in):
// a batch is then a range of that index however many are held.
const ROWID = sql<number>`${contracts}.rowid`;

interface BatchResult {
  /** The rowid of the batch's last contract (a step recorded before rowids: its origin id, and ignored). */
  last: number | string | null;
  deleted: number;
  failed: number;
  /** Held contracts restrictDeletion no longer allows deleting: left held (older steps: absent). */
  kept?: number;
}

export async function executeApproval(
  db: Db,
  run: typeof runs.$inferSelect,
  step: StepRunner,
  options: AdapterOptions,
): Promise<RunSummary> {
  const recorder = createRunRecorder(db, run.orgId, run.synchronisationId, run.id);
  const finish = (summary: RunSummary) =>
    step.run('finish', async () => {
      await recorder.finish(summary);
      return summary;
    });
  const ready = await loadSetupAndTarget(db, run, options);
  if (!ready.ok) {
    return finish({
      result: 'error',
      message: `${ready.message} Nothing was deleted.`,
      counts: ZERO_COUNTS,
      pagesFetched: 0,
      complete: false,
      test: false,
    });
  }
  const { setup, target } = ready;
  // The settings as they are now, not as they were when the deletions were held: a policy become `none`
  // deletes nothing, and an id restrictDeletion no longer allows stays held (approve refuses `none` up
  // front; this holds when the settings changed between the approval and its run).
  const setting = deletionPolicyOf(setup.sync);
  if (setting === 'none') {
    await target.close();
    return finish({
      result: 'warning',
      message:
        'Nothing was deleted: the synchronisation’s deletion policy is now “none”. Reject the held deletions to keep the objects.',
      counts: ZERO_COUNTS,
      pagesFetched: 0,
      complete: true,
      test: false,
    });
  }
  const policy = setting;
  const restrict = setup.sync.restrictDeletion ?? null;
  const store = createContractStore(db, run.orgId, run.synchronisationId, { runId: run.id });
  // The contracts held when the person approved, marked for this run (services/held-deletions.ts);
  // one held since, by a run under way then or after, waits for a decision of its own.
  const prefix = approvedDeletionPrefix(run.id);
  const marked = sql`substr(coalesce(${contracts.lastError}, ''), 1, ${prefix.length}) = ${prefix}`;
  const heldOfSync = and(
    contractsOfOrg(run.orgId),
    ofSynchronisation(run.synchronisationId),
    eq(contracts.status, 'held'),
  );
  let counts: RunCounts = ZERO_COUNTS;
  let kept = 0;
  let after: number | null = null;
  try {
    for (let n = 1; ; n++) {
      const from: number | null = after;
      const batch: BatchResult = await step.run(`approve-${n}`, async (): Promise<BatchResult> => {
        const startedAt = Date.now();
        const held = await db
          .select({ ...contractReadColumns, rowid: ROWID })
          .from(contracts)
          .where(and(heldOfSync, marked, from === null ? undefined : sql`${ROWID} > ${from}`))
          .orderBy(asc(ROWID))
          .limit(BATCH);
        if (held.length === 0) return { last: null, deleted: 0, failed: 0 };
        const allowed = held.filter((c) => mayDelete(c.originId, restrict));
        const withTarget = allowed.filter((c) => c.targetId);
        const answers = await target.port.delete(
          withTarget.map((c) => ({
            originId: c.originId,
            targetId: c.targetId!,
            origin: { systemId: setup.source.id, syncId: run.synchronisationId, runId: run.id },
          })),
          policy,
        );
        const byId = new Map(answers.map((a) => [a.originId, a]));
        const now = new Date();
        const next: ContractState[] = allowed.map((c) => {
          const answer = byId.get(c.originId) ?? { ok: true as const };
          return contractAfterDelete(
            { ...c, lastAction: c.lastAction ?? 'hold' },
            answer.ok ? { ok: true } : answer,
            now,
          );
        });
        await store.upsert(next);
        const failed = answers.filter((a) => !a.ok).length;
        await recorder.entries(
          `approve-${n}`,
          answers.flatMap((a) =>
            a.ok ? [] : [{ originId: a.originId, action: 'failed' as const, reason: a.reason }],
          ),
          approvalBatchTimeline(n, allowed.length - failed, failed, {
            startedAt,
            durationMs: Date.now() - startedAt,
          }),
        );
        return {
          last: held[held.length - 1]!.rowid,
          deleted: allowed.length - failed,
          failed,
          kept: held.length - allowed.length,
        };
      });
      counts = addCounts(counts, { deleted: batch.deleted, failed: batch.failed });
      kept += batch.kept ?? 0;
      await recorder.progress({ pagesFetched: 0, counts });
      if (batch.last === null) break;
      // A replayed step of an older version gave an origin id: from the start again (the deleted ones
      // are no longer held, so only failures are seen twice).
      after = typeof batch.last === 'number' ? batch.last : null;
    }
  } finally {
    await target.close();
  }
  const result = counts.failed ? 'warning' : 'success';
  // Held since the approval (by a run under way then, or after it): not this approval's to delete.
  const since = await step.run('held-since', async () => {
    const [row] = await db
      .select({ n: count() })
      .from(contracts)
      .where(and(heldOfSync, sql`not (${marked})`));
    return row?.n ?? 0;
  });
  return finish({
    result,
    message: `Approved deletions applied: deleted ${counts.deleted}${counts.failed ? `, ${counts.failed} refused by the target (see the entries)` : ''}${kept ? `; ${kept} still held, as restrictDeletion no longer allows deleting them` : ''}${since ? `; ${since} held since the approval wait for a decision of their own` : ''}.`,
    counts,
    pagesFetched: 0,
    complete: true,
    test: false,
  });
}
