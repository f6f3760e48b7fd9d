// Retention, once an hour: finished runs older than their synchronisation's retention (successes and
// failures separately) are removed with their entries, the latest run of each synchronisation always
// kept; notifications older than 90 days go with their read marks and webhook deliveries; sign-in
// failures past the throttle's window and sessions past their end are forgotten; the source copies few
// contracts still point into are compacted, and source objects contracts still hold in their rows are
// moved into source copies.
import { and, eq, inArray, lt, ne, or, isNull } from 'drizzle-orm';
import { forgetExpiredSessions } from '../auth/sessions';
import { forgetStaleSignInFailures } from '../auth/throttle';
import type { Db } from '../db/client';
import { notifications, runs, synchronisations, syncStates } from '../db/schema';
import { compactSourceCopies, moveInlineSourceObjects } from '../sync/stores/source-copies-upkeep';

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

export const NOTIFICATION_RETENTION_DAYS = 90;

export async function removeOldNotifications(db: Db, now = new Date()): Promise<number> {
  const removed = await db
    .delete(notifications)
    .where(lt(notifications.createdAt, new Date(now.getTime() - NOTIFICATION_RETENTION_DAYS * DAY)))
    .returning({ id: notifications.id });
  return removed.length;
}

/** Everything Concord keeps only for a while. */
export async function applyRetention(db: Db, now = new Date()) {
  const runs = await removeExpiredRuns(db, now);
  const removedNotifications = await removeOldNotifications(db, now);
  const signInFailures = await forgetStaleSignInFailures(db, now.getTime());
  const sessions = await forgetExpiredSessions(db, now.getTime());
  const sourceCopies = await compactSourceCopies(db);
  const sourceObjectsMoved = await moveInlineSourceObjects(db);
  return {
    runs,
    notifications: removedNotifications,
    signInFailures,
    sessions,
    sourceCopies,
    sourceObjectsMoved,
  };
}
