// Cron schedules: requests the runs of synchronisations whose next run time has come, then moves
// their next run time on. A schedule missed while Concord was down runs once, not once per missed tick;
// so does a one-time synchronisation whose time came while Concord was down.
import { and, eq, isNotNull, lt, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs, synchronisations, syncStates } from '../db/schema';
import { requestDueConnectionRuns } from '../services/connection-runs';
import { requestRun } from '../services/runs';
import { nextRunAt } from '../services/schedule';
import { nextReconcileAt } from '../services/sync-cursor';
import { noteScheduledTime } from './schedule-notes';

export async function requestDueRuns(db: Db, now = new Date()): Promise<string[]> {
  // A full reconciliation due at a time of the regular schedule is that time's run: asked for first, the
  // regular request below finds it queued and moves on, instead of an incremental run then a full one.
  const requested = await requestDueReconciliations(db, now);
  const due = await db
    .select({ sync: synchronisations, dueAt: syncStates.nextRunAt })
    .from(syncStates)
    .innerJoin(synchronisations, eq(synchronisations.id, syncStates.synchronisationId))
    .where(
      and(
        lte(syncStates.nextRunAt, now),
        eq(synchronisations.enabled, true),
        // A cron schedule, or a one-time synchronisation's time to run at.
        or(
          isNotNull(synchronisations.scheduleCron),
          and(eq(synchronisations.oneTime, true), isNotNull(synchronisations.runOnceAt)),
        ),
      ),
    );
  for (const { sync, dueAt } of due) {
    const { run, alreadyActive } = await requestRun(db, sync.orgId, sync.id, { trigger: 'schedule' });
    if (!alreadyActive) requested.push(run.id);
    // A one-time synchronisation is requested once; its run then disables it (run-aftermath.ts).
    const regular = sync.scheduleCron !== null && !sync.oneTime;
    const next = regular ? nextRunAt(sync.scheduleCron!, sync.scheduleTimezone, now) : null;
    if (dueAt) {
      const asked = { run, alreadyActive, regular, requestedNow: requested };
      await noteScheduledTime(db, asked, { dueAt, next, now, timezone: sync.scheduleTimezone });
    }
    await db.update(syncStates).set({ nextRunAt: next }).where(eq(syncStates.synchronisationId, sync.id));
  }
  // Connections have one schedule for all their members.
  requested.push(...(await requestDueConnectionRuns(db, now)));
  return requested;
}

/**
 * Incremental synchronisations whose reconciliation schedule is due: a full run. While another run of
 * the synchronisation is under way the time stays due, so the next tick asks again once it ended.
 */
async function requestDueReconciliations(db: Db, now: Date): Promise<string[]> {
  const due = await db
    .select({ sync: synchronisations })
    .from(syncStates)
    .innerJoin(synchronisations, eq(synchronisations.id, syncStates.synchronisationId))
    .where(and(lte(syncStates.nextReconcileAt, now), eq(synchronisations.enabled, true)));
  const requested: string[] = [];
  for (const { sync } of due) {
    const { run, alreadyActive } = await requestRun(db, sync.orgId, sync.id, {
      trigger: 'schedule',
      full: true,
    });
    if (alreadyActive) continue;
    requested.push(run.id);
    await db
      .update(syncStates)
      .set({ nextReconcileAt: nextReconcileAt(sync, now) })
      .where(eq(syncStates.synchronisationId, sync.id));
  }
  return requested;
}

/**
 * Runs still queued a while after they were requested: their dispatch was lost (a tick retried after
 * creating them, an event that never arrived). Sending them again is harmless — a run executes once.
 */
export async function staleQueuedRuns(db: Db, olderThanMs = 2 * 60_000, now = new Date()) {
  return db
    .select({ runId: runs.id, syncId: runs.synchronisationId })
    .from(runs)
    .where(and(eq(runs.status, 'queued'), lt(runs.createdAt, new Date(now.getTime() - olderThanMs))))
    .limit(500);
}
