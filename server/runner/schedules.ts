// Cron schedules: requests the runs of synchronisations whose next run time has come, then moves
// their next run time on. A schedule missed while Concord was down runs once, not once per missed tick.
import { and, eq, isNotNull, lt, lte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs, synchronisations, syncStates } from '../db/schema';
import { requestDueConnectionRuns } from '../services/connection-runs';
import { requestRun } from '../services/runs';
import { nextRunAt } from '../services/schedule';

export async function requestDueRuns(db: Db, now = new Date()): Promise<string[]> {
  const due = await db
    .select({ sync: synchronisations })
    .from(syncStates)
    .innerJoin(synchronisations, eq(synchronisations.id, syncStates.synchronisationId))
    .where(
      and(
        lte(syncStates.nextRunAt, now),
        eq(synchronisations.enabled, true),
        isNotNull(synchronisations.scheduleCron),
      ),
    );
  const requested: string[] = [];
  for (const { sync } of due) {
    const { run, alreadyActive } = await requestRun(db, sync.orgId, sync.id, { trigger: 'schedule' });
    if (!alreadyActive) requested.push(run.id);
    const next = sync.scheduleCron ? nextRunAt(sync.scheduleCron, sync.scheduleTimezone, now) : null;
    await db.update(syncStates).set({ nextRunAt: next }).where(eq(syncStates.synchronisationId, sync.id));
  }
  // Connections have one schedule for all their members.
  requested.push(...(await requestDueConnectionRuns(db, now)));
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
