// A pushed batch runs inside its web request, not under an executor: when its process dies, nothing
// resumes or ends its run, and every later push to the synchronisation is refused ("a run is active").
// The embedded runner ends such runs when it starts (one process: any batch it is not writing is a dead
// one's). Scaled, several instances write batches and none starts after the dead one, so liveness is
// shown instead: while its request writes it, a batch's run is touched every HEARTBEAT_MS (its
// `updated_at`), and the periodic tick both executors run ends those untouched for ABANDONED_AFTER_MS.
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runs } from '../../db/schema';
import { endInterruptedBatch } from './pushed-batch';

/** A pushed batch's run (`cursor.batch`, pushed-batch.ts). */
export const PUSHED_BATCH = sql`json_type(${runs.cursor}, '$.batch') IS NOT NULL`;

export const HEARTBEAT_MS = 30_000;

/**
 * A beat is a timer of the request's process: it is missed only when that process is gone or its event
 * loop is held — by a libSQL statement, at most the busy timeout (10 s). Ten missed beats mean gone,
 * however long the batch itself takes (1,000 objects, 8 MB: minutes on a loaded instance).
 */
export const ABANDONED_AFTER_MS = 10 * HEARTBEAT_MS;

// The database's clock, not the instance's: the instance that beats and the one that sweeps may differ.
const DB_NOW_MS = sql`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;

const open = inArray(runs.status, ['queued', 'running']);

/** Runs `work` (the batch's writing) with its run touched now and every `everyMs` until it settles. */
export async function whileBatchBeats<T>(
  db: Db,
  runId: string,
  work: () => Promise<T>,
  everyMs = HEARTBEAT_MS,
): Promise<T> {
  const beat = () =>
    db
      .update(runs)
      .set({ updatedAt: DB_NOW_MS })
      .where(and(eq(runs.id, runId), open))
      // A missed beat is not the batch's failure: the next one, or the batch's own end, follows.
      .catch(() => undefined);
  await beat();
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Ends, as interrupted, the pushed batches whose runs no process has touched for `staleAfterMs`: their
 * process died. A batch this process is writing is never ended (endInterruptedBatch), nor another
 * instance's that still beats. The number ended.
 */
export async function endAbandonedBatches(db: Db, staleAfterMs = ABANDONED_AFTER_MS): Promise<number> {
  const abandoned = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(open, PUSHED_BATCH, lt(runs.updatedAt, sql`${DB_NOW_MS} - ${staleAfterMs}`)))
    .limit(100);
  let ended = 0;
  for (const run of abandoned) if (await endInterruptedBatch(db, run.id)) ended++;
  return ended;
}
