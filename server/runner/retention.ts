// Retention, once an hour: finished runs older than their synchronisation's retention (successes and
// failures separately) are removed with their entries, the latest run of each synchronisation always
// kept; and sign-in failures past the throttle's window are forgotten.
import { and, eq, inArray, lt, ne, or, isNull } from 'drizzle-orm';
import { forgetStaleSignInFailures } from '../auth/throttle';
import type { Db } from '../db/client';
import { runs, synchronisations, syncStates } from '../db/schema';

const DAY = 24 * 60 * 60_000;

export async function removeExpiredRuns(db: Db, now = new Date()): Promise<number> {
  const syncs = await db
    .select({
      id: synchronisations.id,
      success: synchronisations.successRetentionDays,
      error: synchronisations.errorRetentionDays,
      lastRunId: syncStates.lastRunId,
    })
    .from(synchronisations)
    .leftJoin(syncStates, eq(syncStates.synchronisationId, synchronisations.id));
  let removed = 0;
  for (const sync of syncs) {
    const keepLatest = sync.lastRunId ? ne(runs.id, sync.lastRunId) : undefined;
    const expired = await db
      .delete(runs)
      .where(
        and(
          eq(runs.synchronisationId, sync.id),
          inArray(runs.status, ['finished', 'cancelled']),
          keepLatest,
          or(
            and(
              eq(runs.result, 'success'),
              lt(runs.finishedAt, new Date(now.getTime() - sync.success * DAY)),
            ),
            and(
              or(ne(runs.result, 'success'), isNull(runs.result)),
              lt(runs.finishedAt, new Date(now.getTime() - sync.error * DAY)),
            ),
          ),
        ),
      )
      .returning({ id: runs.id });
    removed += expired.length;
  }
  return removed;
}

/** Everything Concord keeps only for a while. */
export async function applyRetention(db: Db, now = new Date()) {
  const runs = await removeExpiredRuns(db, now);
  const signInFailures = await forgetStaleSignInFailures(db, now.getTime());
  return { runs, signInFailures };
}
