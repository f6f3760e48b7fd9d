// One definition of a run for every executor. `executeRun` loads the run's configuration, builds the
// ports and drives the engine's step plan with the StepRunner it is given (Inngest's steps, the
// embedded runner's durable memo, or memory). It returns 'continue' with a cursor when the page
// budget of one execution is used up; the executor then carries on in a follow-on execution.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runs, synchronisations } from '../../db/schema';
import { summariseFailure } from '../core/run-result';
import { runSync, type RunPlanResult, type RunResume } from '../core/run-plan';
import type { ContractStore, StepRunner } from '../ports';
import type { RegisterIdentity } from '../sources/register-identity';
import { deletableIds } from '../sources/selected-ids';
import { createContractStore } from '../stores/contract-store';
import { createRunRecorder } from '../stores/run-recorder';
import { buildSource, buildTarget, type AdapterOptions, type BuiltSource } from './adapters';
import { executeApproval } from './approval';
import { engineContext } from './engine-context';
import { maskingSecrets, secretsOfRun } from './masked-recorder';
import { withinSelection } from './selection';

import { executeTwoWay } from '../two-way/execute';
import { DEFAULT_RETRY_DELAYS_MS } from '../core/retry-backoff';
import { retryingListing } from './listing-retries';
import { executePush, schemaRead } from './push';
import { isPushRun, readPushCursor } from './push-cursor';
import { endInterruptedBatch, isPushedBatchRun } from './pushed-batch';
import { deletionPolicyOf, loadRunSetup } from './setup';
import { executeSingleObject } from './single-object';

export interface ExecuteOptions extends AdapterOptions {
  /** Pages per execution (Inngest allows 1,000 steps per function run). */
  pageBudget?: number;
  resume?: RunResume<unknown>;
  /**
   * Given by an executor that runs the executions of one run back to back in one process: the source
   * built by the first execution is kept here and used by the next, so that its connection and the
   * pages it has read ahead carry over instead of being dropped and requested again.
   */
  keptSource?: KeptSource;
}

export interface KeptSource {
  built?: BuiltSource;
}

export type ExecuteResult =
  | RunPlanResult<unknown>
  | { kind: 'skipped'; reason: string }
  /** The run had ended already: an executor replaying its memoised steps after 'finish' (Inngest) lands here. */
  | { kind: 'ended'; status: 'finished' | 'cancelled' };

export async function executeRun(
  db: Db,
  runId: string,
  step: StepRunner,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) return { kind: 'skipped', reason: 'no such run' };
  if (run.status === 'finished' || run.status === 'cancelled') return { kind: 'ended', status: run.status };

  // The start time is fixed once: it is the run's "checked at" moment for every contract, also after a resume.
  const startedAt = run.startedAt ?? new Date();
  await db
    .update(runs)
    .set({ status: 'running', startedAt })
    .where(and(eq(runs.id, runId), isNull(runs.finishedAt)));
  // A pushed batch is never executed again (its objects were in the request only), least of all as a
  // listing of the source: one an executor was handed anyway ends, and its client sends it again.
  if (isPushedBatchRun(run)) {
    await endInterruptedBatch(db, runId);
    return { kind: 'skipped', reason: 'a pushed batch is not executed again' };
  }
  // Runs that are not a listing: approved deletions, and one object.
  if (run.trigger === 'approval') {
    return { kind: 'finished', summary: await executeApproval(db, { ...run, startedAt }, step, options) };
  }
  // A push run delivers the changes of some register objects (run/push.ts) — except to a two-way
  // synchronisation, whose run compares both sides in full (below).
  if (isPushRun(run) && !(await isTwoWay(db, run))) {
    const push = readPushCursor(run.cursor);
    return { kind: 'finished', summary: await executePush(db, { ...run, startedAt }, push, step, options) };
  }
  // A run that carries one object (a webhook push, or re-syncing one contract) syncs just that object.
  const pushed = run.cursor?.object;
  const twoWay = await isTwoWay(db, run);
  if (pushed && typeof pushed === 'object' && !twoWay) {
    const summary = await executeSingleObject(db, runId, pushed as Record<string, unknown>, step, options);
    return summary ? { kind: 'finished', summary } : { kind: 'skipped', reason: 'run already ended' };
  }
  const logged = createRunRecorder(db, run.orgId, run.synchronisationId, runId);
  const mode = { test: run.test, force: run.force };

  const loaded = await loadRunSetup(db, { ...run, startedAt });
  if (!loaded.ok) return finishEarly(step, logged, loaded.message, mode);
  const setup = loaded.setup;
  // A source may echo a secret (a next link with its query parameters): the log masks their values.
  const recorder = maskingSecrets(logged, secretsOfRun(setup));
  // Two-way: both sides listed and written (sync/two-way); one execution runs the whole run.
  if (setup.sync.direction === 'two-way') {
    // A run that carries one object (a webhook, a re-sync) compares just that object with the register.
    const single = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>) : undefined;
    const push = readPushCursor(run.cursor);
    const summary = await executeTwoWay(db, setup, recorder, step, { ...options, startedAt, single, push });
    return { kind: 'finished', summary };
  }
  const source = options.keptSource?.built ?? (await buildSource(db, setup, { ...options, test: run.test }));
  if (!source.ok) return finishEarly(step, recorder, source.message, mode);
  const target = buildTarget(db, setup, options, runId);
  if (!target.ok) {
    await releaseSource(source, options.keptSource, false);
    return finishEarly(step, recorder, target.message, mode);
  }

  const ports = {
    contracts: withinSelection(
      withRegisterObjects(
        source.identity,
        createContractStore(db, run.orgId, run.synchronisationId, {
          runId: run.id,
          // The register object holds what a creation wrote: its contract is the first version.
          implicitCreations: setup.sync.targetType === 'register',
        }),
      ),
      db,
      {
        orgId: run.orgId,
        syncId: run.synchronisationId,
        selectedIds: setup.sourceConfig.selectedIds,
      },
    ),
    target: target.port,
  };
  // A listing of a register (one-way: two-way runs went above) tries again by itself what did not get
  // through for a passing reason, as a push does, whatever started it (listing-retries.ts).
  const schemaId = source.identity && !run.test ? schemaRead(setup) : null;
  const written = schemaId
    ? retryingListing(
        db,
        { orgId: run.orgId, syncId: run.synchronisationId, schemaId, runId },
        ports,
        options.retryDelays ?? DEFAULT_RETRY_DELAYS_MS,
      )
    : ports;

  let result: RunPlanResult<unknown> | undefined;
  try {
    result = await runSync(
      {
        source: source.port,
        ports: { ...written, recorder },
        context: engineContext(setup, { runId, mode, checkedAt: startedAt }),
        deletion: {
          policy: deletionPolicyOf(setup.sync),
          // Selected ids: only they may be deleted (an object outside the selection is not this run's).
          restrictDeletion: deletableIds(setup.sync.restrictDeletion, setup.sourceConfig.selectedIds),
          holdAboveShare: setup.sync.deleteThreshold,
        },
        sourceDisabled: !setup.source.enabled,
        pageBudget: options.pageBudget,
        resume: options.resume,
        ...(setup.incremental ? { incremental: setup.incremental } : {}),
      },
      step,
    );
    return result;
  } finally {
    const keep = result?.kind === 'continue' && options.keptSource !== undefined;
    await Promise.all([releaseSource(source, options.keptSource, keep), target.close()]);
  }
}

/** Keeps the source for the run's next execution, or closes it. */
async function releaseSource(source: BuiltSource, kept: KeptSource | undefined, keep: boolean) {
  if (kept) kept.built = keep ? source : undefined;
  if (!keep) await source.close();
}

async function finishEarly(
  step: StepRunner,
  recorder: ReturnType<typeof createRunRecorder>,
  message: string,
  mode: { test: boolean; force: boolean },
): Promise<ExecuteResult> {
  const summary = summariseFailure(`${message} Nothing was read, written or deleted.`, mode);
  await step.run('finish', async () => {
    await recorder.finish(summary);
    return summary;
  });
  return { kind: 'finished', summary };
}

/** Runs executions back to back until the run finishes (the in-process executors). */
export async function executeToCompletion(db: Db, runId: string, step: StepRunner, options: ExecuteOptions) {
  let resume = options.resume;
  const keptSource: KeptSource = {};
  try {
    for (;;) {
      const result = await executeRun(db, runId, step, { ...options, resume, keptSource });
      if (result.kind !== 'continue') return result;
      resume = result.resume;
    }
  } finally {
    await keptSource.built?.close();
  }
}

async function isTwoWay(db: Db, run: typeof runs.$inferSelect): Promise<boolean> {
  const [row] = await db
    .select({ direction: synchronisations.direction })
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, run.orgId), eq(synchronisations.id, run.synchronisationId)));
  return row?.direction === 'two-way';
}

/** A register source's contracts remember the register object each was made from (register-identity.ts). */
function withRegisterObjects(identity: RegisterIdentity | undefined, store: ContractStore): ContractStore {
  return identity ? identity.store(store) : store;
}
