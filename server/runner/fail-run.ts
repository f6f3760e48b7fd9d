// An executor that threw (a bug or an outage) still leaves a finished run with a reason. Deletions
// only ever happen in the run's last steps, so a run that failed before them deleted nothing.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { errorReason } from '../db/query-error';
import { runs, synchronisations } from '../db/schema';
import { env } from '../env';
import { emitRunEnd } from '../services/notifications/emit';
import { ZERO_COUNTS } from '../sync/core/run-result';
import { ExplainedStop } from '../sync/stop';
import { afterListingRun } from '../sync/stores/run-aftermath';
import { readPushCursor } from '../sync/run/push-cursor';
import { retryUnsettled } from '../sync/stores/push-retries';
import { takeBackUnlinkedObjects } from '../sync/targets/register-unlinked';

export async function failRun(db: Db, runId: string, error: unknown): Promise<void> {
  // Never a failed query's SQL and parameters (the objects being written): the cause's words, without
  // the full stop many end with, as the message puts its own after them.
  const reason = errorReason(error).replace(/\.+$/, '');
  const message =
    error instanceof ExplainedStop
      ? `The run stopped: ${reason}. ${error.fixFirst ? 'Fix that first: running it again as it is would stop the same way.' : 'Run it again; objects already synchronised are skipped.'}`
      : unexpected(error, reason);
  await db.transaction(async (tx) => {
    const active = and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running']));
    const [current] = await tx.select().from(runs).where(active);
    if (!current) return;
    // What a run that ended in error sets off, as when it ends so by itself (stores/run-recorder.ts):
    // its log names the follow-ups it did not start, and a one-time synchronisation has had its run.
    const aftermath = await afterListingRun(tx, current, {
      result: 'error',
      message,
      counts: ZERO_COUNTS,
      pagesFetched: current.pagesFetched,
      complete: false,
      test: current.test,
    });
    await tx
      .update(runs)
      .set({ status: 'finished', result: 'error', message: `${message}${aftermath}`, finishedAt: new Date() })
      .where(active);
    await emitRunEnd(tx, current.orgId, runId);
  });
  // A listing's last step may have written register objects without their contracts: taken back, so the
  // next run does not create them twice (targets/register-unlinked.ts). The run has ended either way.
  await takeBackUnlinkedObjects(db, runId).catch((failure: unknown) =>
    console.warn(`run ${runId}: objects written without contracts not taken back: ${errorReason(failure)}`),
  );
  // A push that failed as a whole (the target down, a 5xx after the HTTP retries) tries its changes
  // again by itself, unless running it again would stop the same way.
  const again =
    (error instanceof ExplainedStop && error.fixFirst) || error instanceof RangeError ? null : reason;
  await retryPushLater(db, runId, again).catch((failure: unknown) =>
    console.warn(`run ${runId}: its changes were not scheduled to be pushed again: ${errorReason(failure)}`),
  );
}

/** The changes a failed push or retry run had not delivered, scheduled to be tried again (or let go). */
async function retryPushLater(db: Db, runId: string, reason: string | null): Promise<void> {
  const [run] = await db
    .select({
      id: runs.id,
      orgId: runs.orgId,
      synchronisationId: runs.synchronisationId,
      trigger: runs.trigger,
      test: runs.test,
      cursor: runs.cursor,
      direction: synchronisations.direction,
    })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(eq(runs.id, runId));
  const push = run && readPushCursor(run.cursor);
  // A two-way leg's fan-out too (a create at a system down throws before anything could read it): its
  // retry compares both sides again, so what did get through is no change there.
  // A listing (a person's Run, a schedule) that failed as a whole schedules nothing more here: it has no
  // list of objects to try again, only a position in the register. The objects its pages did write and
  // could not deliver for a passing reason were scheduled by those pages (run/listing-retries.ts); those
  // it never reached are as they were — their changes pushed (and retried) on their own, their contracts
  // untouched — and what only a listing finds (a new synchronisation, an edited mapping) is found by the
  // next one, which compares every object anyway: its schedule's, or a person's, as the run's message
  // says. Turning the whole register into retries would be that full run in pieces of 500. The retries
  // it found waiting stay (an incomplete listing lets go of none).
  if (!run || !push || run.test) return;
  if (run.trigger !== 'push' && run.trigger !== 'retry') return;
  await retryUnsettled(db, run, push, reason, env().CONCORD_PUSH_RETRY_DELAYS_MS);
}

function unexpected(error: unknown, reason: string): string {
  // A RangeError (a stack overflow, a string or list too long) comes from the data and strikes again
  // at the same place: advising to run it again would only repeat it.
  const advice =
    error instanceof RangeError
      ? 'It comes from the data (too large or too deeply nested), so running it again would stop the same way.'
      : 'Run it again; objects already synchronised are skipped.';
  return `The run stopped because of an unexpected error: ${reason}. ${advice}`;
}
