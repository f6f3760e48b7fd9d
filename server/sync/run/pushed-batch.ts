// Objects pushed in through the API (POST /api/v1/synchronisations/{id}/objects) go through the same
// engine as a listing, as one page: the synchronisation's mapping, its contracts and hashes (an
// unchanged object is skipped), its register target and so the push outbox (fan-out to the push
// subscribers of the schema). Like a webhook's object, a batch never deletes: it says nothing about the
// objects it does not carry. The run is recorded like any other (trigger `api`), and its result follows
// the rule of every run (run-result.ts `objectsResult`): a warning when some objects were refused, an
// error only when not a single one got through. A batch is never executed again: its objects were in the
// request only. Its run carries `cursor.batch` (a run of trigger `api` without it is a listing someone
// asked for), so a batch that throws, or whose process died under it, ends as an error — the client
// sends it again — and is never resumed as a listing of the source (execute.ts, runner/embedded.ts).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { errorReason } from '../../db/query-error';
import { runs } from '../../db/schema';
import { objectsResult, summariseFailure, type RunCounts, type RunSummary } from '../core/run-result';
import type { PlacedOutcome } from '../core/run-page';
import type { StepRunner } from '../ports';
import { createRunRecorder } from '../stores/run-recorder';
import type { AdapterOptions } from './adapters';
import { syncArrivedObjects } from './arrived-objects';
import { loadSetupAndTarget } from './setup-and-target';

export interface PushedBatch {
  summary: RunSummary;
  counts: RunCounts | null;
  /** What became of each object, in the order sent; null when the run could not start. */
  objects: readonly PlacedOutcome[] | null;
  idField: string | null;
}

/** What a pushed batch's run carries in its `cursor`: how many objects came (never their data). */
export function pushedBatchCursor(objects: number): { batch: { objects: number } } {
  return { batch: { objects } };
}

export function isPushedBatchRun(run: { cursor: Record<string, unknown> | null }): boolean {
  return run.cursor?.batch !== undefined;
}

// The batches this process is writing (one registry for every bundle of the app, as runner/dispatch.ts):
// a runner starting meanwhile must not take one of them for a dead process's.
const IN_FLIGHT = Symbol.for('concord.pushedBatchesInFlight');
const store = globalThis as { [IN_FLIGHT]?: Set<string> };
const inFlight: Set<string> = (store[IN_FLIGHT] ??= new Set<string>());

/** The pushed batches' runs this process is writing now. */
export function batchesInFlight(): readonly string[] {
  return [...inFlight];
}

export const INTERRUPTED_BATCH =
  'The process stopped while this pushed batch was being written; send the batch again — objects ' +
  'already written are recognised as unchanged.';

/**
 * A pushed batch's run a dead process left queued or running: ended as an error by the recorder's
 * finish (the run's result, the synchronisation's last run, what the organisation is told), never
 * executed. False when it had ended meanwhile.
 */
export async function endInterruptedBatch(db: Db, runId: string): Promise<boolean> {
  if (inFlight.has(runId)) return false;
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])));
  if (!run) return false;
  const recorder = createRunRecorder(db, run.orgId, run.synchronisationId, runId);
  await recorder.finish(summariseFailure(INTERRUPTED_BATCH, { test: run.test, force: run.force }));
  return true;
}

/** A batch whose processing threw: its run has ended as an error with this message. */
export class PushedBatchFailed extends Error {
  override name = 'PushedBatchFailed';
  constructor(
    readonly runId: string,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

export async function executePushedBatch(
  db: Db,
  runId: string,
  objects: readonly Record<string, unknown>[],
  step: StepRunner,
  options: AdapterOptions,
): Promise<PushedBatch> {
  inFlight.add(runId);
  try {
    return await writeBatch(db, runId, objects, step, options);
  } finally {
    inFlight.delete(runId);
  }
}

async function writeBatch(
  db: Db,
  runId: string,
  objects: readonly Record<string, unknown>[],
  step: StepRunner,
  options: AdapterOptions,
): Promise<PushedBatch> {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new Error(`run ${runId} not found`);
  const startedAt = new Date();
  const recorder = createRunRecorder(db, run.orgId, run.synchronisationId, runId);
  const mode = { test: run.test, force: run.force };
  const started = { ...run, startedAt };
  const finish = async (summary: RunSummary) => {
    await recorder.finish(summary);
    return summary;
  };
  // Whatever throws (the database refusing a write, a target's bug, the process's own handler) ends the
  // run as an error with its reason, through the same finish as every run; what was committed stays.
  let ready: Awaited<ReturnType<typeof loadSetupAndTarget>> | null = null;
  try {
    await db.update(runs).set({ status: 'running', startedAt }).where(eq(runs.id, runId));
    ready = await loadSetupAndTarget(db, started, options);
    if (!ready.ok) {
      return {
        summary: await finish(summariseFailure(`${ready.message} Nothing was written.`, mode)),
        counts: null,
        objects: null,
        idField: null,
      };
    }
    const setup = ready.setup;
    const loaded = ready;
    const pushed = `${objects.length} ${objects.length === 1 ? 'object' : 'objects'} pushed through the API`;
    const done = await step.run('batch', () =>
      syncArrivedObjects(db, started, loaded, recorder, { objects, arrival: `${pushed}.` }),
    );
    const { counts } = done;
    const summary = await finish({
      result: objectsResult(counts),
      message: `${mode.test ? 'Dry run, nothing was written: ' : ''}${pushed}: ${tally(counts)}.`,
      counts,
      pagesFetched: 1,
      complete: false,
      test: mode.test,
    });
    return { summary, counts, objects: done.objects, idField: setup.idField };
  } catch (error) {
    if (error instanceof PushedBatchFailed) throw error;
    const reason = errorReason(error);
    const message =
      `The batch stopped because of an unexpected error: ${reason}. Send it again; objects already ` +
      'written are recognised as unchanged.';
    await endAsFailed(db, runId, () => finish(summariseFailure(message, mode)), message);
    throw new PushedBatchFailed(runId, message, { cause: error });
  } finally {
    if (ready?.ok) await ready.target.close();
  }
}

/**
 * Ends a batch's run as an error, never leaving it running (every later push would be refused as
 * "a run is active"): through the recorder's finish, else — that failing too, say the same database
 * error — by marking the row itself. A run already ended (its finish committed, then something after it
 * threw) keeps what it recorded.
 */
async function endAsFailed(db: Db, runId: string, finish: () => Promise<unknown>, message: string) {
  const stillOpen = and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running']));
  const [open] = await db.select({ id: runs.id }).from(runs).where(stillOpen);
  if (!open) return;
  try {
    await finish();
  } catch {
    await db
      .update(runs)
      .set({ status: 'finished', result: 'error', message, finishedAt: new Date() })
      .where(stillOpen);
  }
}

function tally(counts: RunCounts): string {
  const parts = [`${counts.created} created`, `${counts.updated} updated`];
  if (counts.rewritten > 0) parts.push(`${counts.rewritten} rewritten unchanged`);
  parts.push(`${counts.skipped} unchanged`);
  if (counts.filtered > 0) parts.push(`${counts.filtered} filtered out`);
  const refused = counts.invalid + counts.failed;
  if (refused > 0) parts.push(`${refused} refused (see the entries)`);
  return parts.join(', ');
}
