// Follow-up runs are queued when their parent run finishes (sync/stores/run-aftermath.ts, in the same
// transaction). Dispatching them is the executor's part: the embedded runner looks for queued runs as
// soon as a run ends; on Inngest the run-sync function sends their events (or the schedule tick's
// re-dispatch of stale queued runs does, should that send be lost).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs } from '../db/schema';

/** The follow-up runs this run requested that are still waiting to start. */
export async function queuedFollowUps(db: Db, runId: string) {
  return db
    .select({ runId: runs.id, syncId: runs.synchronisationId })
    .from(runs)
    .where(and(eq(runs.requestedByRunId, runId), eq(runs.status, 'queued')));
}
