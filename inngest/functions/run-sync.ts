// run-sync: a step per page (`page-1`, `page-2`, …) returning only a cursor and counts, then the
// deletion and finish steps — the engine's step plan on Inngest. One run per synchronisation at a
// time; cancellable; a long listing continues in a follow-on run carrying its cursor, same run id.
import { NonRetriableError } from 'inngest';
import { getDb, type Db } from '@/server/db/client';
import { env } from '@/server/env';
import { withoutQueryText } from '@/server/db/query-error';
import { notifyOutbox } from '@/server/runner/dispatch';
import { cancellable, RunCancelledError } from '@/server/runner/cancellation';
import { durableStep, forgetSteps } from '@/server/runner/durable-step';
import { failRun } from '@/server/runner/fail-run';
import { queuedFollowUps } from '@/server/runner/follow-ups';
import { urlPolicy } from '@/server/runner/url-policy';
import type { CursorFacts, ReadWindow } from '@/server/sync/core/incremental/window';
import type { RunResume } from '@/server/sync/core/run-plan';
import { addCounts, ZERO_COUNTS, type RunCounts } from '@/server/sync/core/run-result';
import { executeRun } from '@/server/sync/run/execute';
import type { StepRunner } from '@/server/sync/ports';
import { inngest } from '../client';
import { runCancelled, runRequested } from '../events';

/** Inngest allows 1,000 steps per function run: leave room for deletion and finish steps. */
export const PAGES_PER_EXECUTION = 900;

type InngestStep = { run: (id: string, fn: () => Promise<unknown>) => Promise<unknown> };

const DIRECT: StepRunner = { run: (_id, fn) => fn() };

/**
 * Inngest's step.run returns the JSON of the result; the engine's results are plain JSON already.
 * A cancelled run must not be retried, so its error becomes non-retriable inside the step. Inngest
 * keeps a step's error: a failed query's is kept without its SQL and parameters (the objects).
 * Each step also goes through the run's step memo in the database (`run_steps`, as the embedded runner's
 * do): a step whose work was done but whose result never reached Inngest (the worker died, the answer
 * was lost) is run again by Inngest, and then answers the result it recorded instead of doing its work
 * again — a deletion batch found nothing left to delete and said "deleted 0" for what it had deleted.
 */
export const asStepRunner = (step: InngestStep, memo: StepRunner = DIRECT): StepRunner => ({
  run: <T>(id: string, fn: () => Promise<T>) =>
    step.run(id, async () => {
      try {
        return await memo.run(id, fn);
      } catch (error) {
        if (error instanceof RunCancelledError) throw new NonRetriableError(error.message);
        throw withoutQueryText(error);
      }
    }) as Promise<T>,
});

/** A run's steps on Inngest, through its step memo (`asStepRunner`), stopping once it is cancelled. */
export const inngestSteps = (step: InngestStep, db: Db, runId: string): StepRunner =>
  cancellable(db, runId, asStepRunner(step, durableStep(db, runId)));

/**
 * Inngest gave up on a run (its retries spent, or an error it must not retry): the run ends as failed with
 * the reason, as the embedded runner ends one whose execution threw (failRun, which also takes back the
 * register objects its last step wrote without contracts). Without it the run stayed `running`: shown as
 * such for ever, and every later run of the synchronisation refused as "a run is active". A cancelled run
 * was ended by its cancellation: failRun leaves an ended run as it is.
 */
export async function runSyncFailed({
  event,
  error,
  step,
}: {
  event: { data: { event: { data: { runId: string } } } };
  error: Error;
  step: Pick<InngestStep, 'run'>;
}): Promise<void> {
  const { runId } = event.data.event.data;
  await step.run('record-failure', () => failRun(getDb(), runId, error));
}

export const runSyncFunction = inngest.createFunction(
  {
    id: 'run-sync',
    triggers: [runRequested],
    concurrency: [{ key: 'event.data.syncId', limit: 1 }],
    cancelOn: [{ event: runCancelled.name, if: 'async.data.runId == event.data.runId' }],
    retries: 4,
    onFailure: runSyncFailed,
  },
  async ({ event, step }) => {
    const db = getDb();
    const { runId } = event.data;
    try {
      const result = await executeRun(db, runId, inngestSteps(step, db, runId), {
        urlPolicy: urlPolicy(),
        changesQueued: (change) => void notifyOutbox(db, change),
        pageBudget: PAGES_PER_EXECUTION,
        resume: resumeFrom(event.data.resume),
        retryDelays: env().CONCORD_PUSH_RETRY_DELAYS_MS,
      });
      if (result.kind === 'continue') {
        await step.sendEvent(
          'continue',
          runRequested.create({ runId, syncId: event.data.syncId, resume: result.resume }),
        );
      }
      // Its follow-ups were queued with its result; here they are handed to Inngest.
      if (result.kind === 'finished' || (result.kind === 'ended' && result.status === 'finished')) {
        // The run has ended: its step memo is not read again (embedded.ts forgets it likewise).
        const followUps = await step.run('follow-ups', async () => {
          await forgetSteps(db, runId);
          return queuedFollowUps(db, runId);
        });
        if (followUps.length > 0)
          await step.sendEvent(
            'dispatch-follow-ups',
            followUps.map((f) => runRequested.create(f)),
          );
      }
      // After 'finish' Inngest calls the function once more to collect its output: the run has ended then.
      return { runId, outcome: result.kind === 'ended' ? result.status : result.kind };
    } catch (error) {
      if (error instanceof RunCancelledError) throw new NonRetriableError(error.message);
      throw withoutQueryText(error);
    }
  },
);

/** The event's resume point with every count present (an event from an older version may lack one). */
function resumeFrom(
  resume:
    | { from: unknown; counts: Partial<RunCounts>; pagesFetched: number; window?: unknown; facts?: unknown }
    | undefined,
): RunResume<unknown> | undefined {
  if (!resume) return undefined;
  const { window, facts, ...rest } = resume;
  return {
    ...rest,
    counts: addCounts(ZERO_COUNTS, resume.counts),
    // Written by runSync itself into the event: plain JSON of these shapes.
    ...(window ? { window: window as ReadWindow, facts: facts as CursorFacts | undefined } : {}),
  };
}
