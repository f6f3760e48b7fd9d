// The end of a run: plan deletions from what the listing did not see, apply, hold or preview them in
// batches of durable steps, then compute and record the result.
import type { RunEntry, StepRunner } from '../ports';
import type { ContractState } from './contracts';
import { decide, UNREAD } from './decide';
import {
  contractAfterDelete,
  heldContract,
  mayDelete,
  planDeletions,
  type DeletionPlan,
  type DeletionSettings,
} from './deletions';
import {
  awaitsDecision,
  deletionWasApproved,
  deletionWasRejected,
  heldAgainReason,
} from './deletion-decisions';
import { moveCursor, type CursorFacts, type ReadWindow } from './incremental/window';
import type { ListingOutcome } from './pagination/types';
import type { EnginePorts, RunContext } from './run-page';
import { addCounts, summariseRun, withStandingRefusals, type RunCounts, type RunSummary } from './run-result';
import { deletionBatchTimeline, deletionPlanTimeline } from './timeline';

export const DELETION_BATCH_SIZE = 500;

export interface FinishInput {
  readonly context: RunContext;
  readonly outcome: ListingOutcome;
  /** Counts of the listing so far; deletions are added to them. */
  readonly counts: RunCounts;
  readonly deletion: DeletionSettings;
  readonly sourceDisabled: boolean;
  readonly batchSize?: number;
  /** Incremental synchronisations: what the run read, and what its pages saw of the updated-at field. */
  readonly incremental?: { readonly window: ReadWindow; readonly facts: CursorFacts };
}

export async function finishRun(
  ports: EnginePorts,
  input: FinishInput,
  step: StepRunner,
): Promise<RunSummary> {
  const { context, outcome } = input;
  const plan = await step.run('deletions-plan', async (): Promise<DeletionPlan> => {
    const planned = await planRunDeletions(ports, input);
    // The deletion phase starts the timeline's last part: nothing to do and why, held, or deleting.
    await ports.recorder.entries('deletions-plan', [], deletionPlanTimeline(planned, Date.now()));
    return planned;
  });

  let counts = input.counts;
  if (plan.kind !== 'none') {
    let after: string | null = null;
    for (let batch = 1; ; batch++) {
      const from: string | null = after;
      const result: BatchResult = await step.run(`deletions-${batch}`, () =>
        deletionBatch(ports, input, plan, from, batch),
      );
      counts = addCounts(counts, result.counts);
      if (result.after === null) break;
      after = result.after;
    }
  }

  const incremental = input.incremental && {
    window: input.incremental.window,
    move: moveCursor({
      ...input.incremental,
      outcome,
      test: context.mode.test,
      found: input.counts.found,
      now: (context.now?.() ?? new Date()).getTime(),
    }),
  };
  const summary = summariseRun({ outcome, counts, deletion: plan, mode: context.mode, incremental });
  return step.run('finish', async () => {
    // Refused objects this run skipped are still missing from the target: its message says so.
    const standing = context.mode.test ? 0 : ((await ports.contracts.countRefused?.()) ?? 0);
    const final = withStandingRefusals(summary, standing);
    await ports.recorder.finish(final);
    return final;
  });
}

/** The decision table's row for a contract whose object a complete listing did not hold. */
export function goneFromSource(contract: ContractState): boolean {
  return decide({ base: contract, source: null, target: UNREAD }).do === 'delete-target';
}

/** How many objects vanished from the source and what may be done about it. */
async function planRunDeletions(ports: EnginePorts, input: FinishInput): Promise<DeletionPlan> {
  const { context, outcome, deletion } = input;
  const listing = input.incremental?.window.kind;
  const children = childrenOfListed(input);
  const base = {
    outcome,
    mode: context.mode,
    sourceDisabled: input.sourceDisabled,
    settings: deletion,
    listing,
    childrenOfListed: children,
  };
  const unidentified = input.counts.unidentified ?? 0;
  const repeated = input.counts.repeated ?? 0;
  const preliminary = planDeletions({ ...base, candidates: 1, total: 1, unidentified: 0 });
  // Counting is skipped when nothing could be deleted anyway.
  if (preliminary.kind === 'none') return preliminary;
  // Every object found was left with an active contract of its own (RunCounts.withContract: created,
  // updated, skipped, or kept failed, rejected or invalid): the store may count the active contracts
  // instead of walking them all.
  const { found, withContract } = input.counts;
  const candidates = await ports.contracts.countUnseen({
    runId: context.runId,
    onlyOriginIds: deletion.restrictDeletion,
    ...(children
      ? { childrenOfListed: true }
      : found > 0 && withContract === found
        ? { allListedActive: found }
        : {}),
  });
  // The share needs the total only when there is something to delete (most runs: nothing).
  const total =
    candidates === 0 || unidentified > 0 || repeated > 0
      ? 0
      : await ports.contracts.countActive({ before: context.checkedAt });
  return planDeletions({ ...base, candidates, total, unidentified, repeated });
}

/**
 * An incremental run of a synchronisation with sub-objects: each object it read came whole, with every
 * child it holds now, so a child it did not list was taken out of it — the only deletion such a run makes.
 */
function childrenOfListed(input: FinishInput): boolean {
  return input.incremental?.window.kind === 'incremental' && (input.context.subObjects?.length ?? 0) > 0;
}

export type ActivePlan = Exclude<DeletionPlan, { kind: 'none' }>;
/** Counts and where the next batch starts (null: this was the last). */
type BatchResult = { readonly counts: Partial<RunCounts>; readonly after: string | null };

async function deletionBatch(
  ports: EnginePorts,
  input: FinishInput,
  plan: ActivePlan,
  after: string | null,
  batch: number,
): Promise<BatchResult> {
  const { context, deletion } = input;
  const limit = input.batchSize ?? DELETION_BATCH_SIZE;
  const restrict = deletion.restrictDeletion;
  const children = childrenOfListed(input);
  const listed = await ports.contracts.listUnseen({
    runId: context.runId,
    onlyOriginIds: restrict,
    after,
    limit,
    ...(children ? { childrenOfListed: true } : {}),
  });
  const next = listed.length < limit ? null : (listed[listed.length - 1]?.originId ?? null);
  // The store was asked for exact matches; checking again here means a store bug cannot widen deletions.
  const eligible = listed.filter(
    (c) => goneFromSource(c) && mayDelete(c.originId, restrict) && (!children || c.parentOriginId !== null),
  );
  const startedAt = Date.now();
  const { counts, entries } = await settleDeletions(ports, context, plan, eligible);
  const read = { startedAt, durationMs: Date.now() - startedAt };
  const timeline = deletionBatchTimeline(batch, plan, eligible.length, counts, read);
  await ports.recorder.entries(`deletions-${batch}`, entries, timeline);
  return { counts, after: next };
}

/**
 * Carries out a deletion plan for these contracts (all eligible: not deleted, allowed by
 * restrictDeletion): lists them (dry run), holds them, or deletes them in the target and records the
 * contracts. Also used for the objects a push run knows were deleted (run/push.ts).
 */
export async function settleDeletions(
  ports: EnginePorts,
  context: RunContext,
  plan: ActivePlan,
  given: readonly ContractState[],
): Promise<{ counts: Partial<RunCounts>; entries: RunEntry[] }> {
  let eligible = given;
  const entries: RunEntry[] = [];
  let counts: Partial<RunCounts> = {};

  if (plan.kind === 'preview') {
    for (const c of eligible)
      entries.push({ originId: c.originId, action: 'delete', reason: 'Gone from the source' });
    // Counted as the real run below would count them, so a dry run's counts say what its message and
    // entries say: held for approval, or deleted (those the target holds; a contract that never reached
    // it has nothing to delete there) but for those awaiting a person's decision, held again.
    const waiting = eligible.filter(awaitsDecision);
    counts = plan.wouldHold
      ? { held: eligible.length }
      : {
          deleted: eligible.filter((c) => c.targetId !== null && !awaitsDecision(c)).length,
          ...(waiting.length ? { held: waiting.length } : {}),
        };
  } else if (plan.kind === 'hold') {
    const reason =
      `Held for approval: ${plan.candidates} of ${plan.total} objects disappeared from the source at once ` +
      `(more than ${Math.round(plan.limit * 100)} %)`;
    // One a person approved keeps its mark: its approval run deletes it, and only the ones it marks.
    await ports.contracts.upsert(
      eligible.map((c) => heldContract(c, deletionWasApproved(c) ? c.lastError! : reason)),
    );
    for (const c of eligible) entries.push({ originId: c.originId, action: 'hold', reason });
    counts = { held: eligible.length };
  } else {
    const now = context.now?.() ?? new Date();
    // A deletion held for a person's decision (undecided, or rejected) is never applied without one,
    // however few are gone now. Undecided held contracts stay as they are (their note says why they
    // were held); rejected ones are held again with the rejection in their note.
    const waiting = eligible.filter(awaitsDecision);
    if (waiting.length) {
      const rejected = waiting.filter(deletionWasRejected);
      if (rejected.length)
        await ports.contracts.upsert(rejected.map((c) => heldContract(c, heldAgainReason(c))));
      for (const c of waiting)
        entries.push({ originId: c.originId, action: 'hold', reason: heldAgainReason(c) });
      eligible = eligible.filter((c) => !awaitsDecision(c));
    }
    const withTarget = eligible.filter((c) => c.targetId !== null);
    const results =
      withTarget.length === 0
        ? []
        : await ports.target.delete(
            withTarget.map((c) => ({
              originId: c.originId,
              targetId: c.targetId as string,
              origin: context.origin,
            })),
            plan.policy,
          );
    const answers = new Map(results.map((r) => [r.originId, r]));
    const states = eligible.map((c) => {
      // A contract that never reached the target has nothing to delete there.
      const answer = c.targetId === null ? { ok: true as const } : answers.get(c.originId);
      return contractAfterDelete(
        c,
        answer ?? { ok: false, reason: 'The target did not answer for this object' },
        now,
      );
    });
    await ports.contracts.upsert(states, now);
    const failed = states.filter((s) => s.status === 'failed');
    for (const s of failed) entries.push({ originId: s.originId, action: 'failed', reason: s.lastError });
    counts = {
      deleted: withTarget.length - failed.length,
      failed: failed.length,
      ...(waiting.length ? { held: waiting.length } : {}),
    };
  }
  return { counts, entries };
}
