// Where a run stands among its synchronisation's runs, for what the organisation is told: a failure that
// starts a streak of failed runs is told, one in the middle of it only a day after the last word on it
// (a synchronisation failing every 5 minutes over a weekend was 576 notifications and webhook POSTs),
// the run that ends it is told as a recovery; held deletions are told when more are held than the run
// before held — the same ones still waiting for a decision are not news.
import { and, count, desc, eq, gt, inArray, lt, lte, max, min, not, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { notifications, runs } from '../../db/schema';

type Reader = Db | Tx;

/** How long a failing synchronisation stays quiet after the last notification of its failures. */
export const FAILING_REMINDER_MS = 24 * 3_600_000;

export interface RunInStreak {
  readonly id: string;
  readonly syncId: string;
  readonly createdAt: Date;
}

// The runs that count, as the overview's health counts them: finished, not tests, and not a push or
// retry that had nothing to write (it says nothing of whether the synchronisation works).
function counted(syncId: string): SQL {
  return and(
    eq(runs.synchronisationId, syncId),
    eq(runs.status, 'finished'),
    eq(runs.test, false),
    not(sql`(${runs.trigger} IN ('push', 'retry') AND ${runs.result} = 'success'
      AND ${runs.created} + ${runs.updated} + ${runs.rewritten} + ${runs.deleted} = 0)`),
  )!;
}

/** Whether this run counts at all (a no-op push run neither ends nor starts anything). */
export async function runCounts(db: Reader, run: RunInStreak): Promise<boolean> {
  const [row] = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(counted(run.syncId), eq(runs.id, run.id)));
  return row !== undefined;
}

/** The counted run before this one: how it ended and how many deletions it held. */
export async function previousRun(db: Reader, run: RunInStreak, withoutErrors = false) {
  const [row] = await db
    .select({ result: runs.result, held: runs.held })
    .from(runs)
    .where(
      and(
        counted(run.syncId),
        lt(runs.createdAt, run.createdAt),
        withoutErrors ? inArray(runs.result, ['success', 'warning']) : undefined,
      ),
    )
    .orderBy(desc(runs.createdAt))
    .limit(1);
  return row ?? null;
}

/** The failed runs in a row up to `until` (this run, or the one before it), and when the first ended. */
export async function failingStreak(db: Reader, run: RunInStreak, until: 'this' | 'before') {
  const [good] = await db
    .select({ at: max(runs.createdAt) })
    .from(runs)
    .where(
      and(
        counted(run.syncId),
        lt(runs.createdAt, run.createdAt),
        inArray(runs.result, ['success', 'warning']),
      ),
    );
  const [streak] = await db
    .select({ n: count(), since: min(runs.finishedAt) })
    .from(runs)
    .where(
      and(
        counted(run.syncId),
        eq(runs.result, 'error'),
        good?.at ? gt(runs.createdAt, good.at) : undefined,
        until === 'this' ? lte(runs.createdAt, run.createdAt) : lt(runs.createdAt, run.createdAt),
      ),
    );
  return { failed: streak?.n ?? 0, since: streak?.since ?? null };
}

/** When the synchronisation's failures were last told. */
export async function lastFailureTold(db: Reader, orgId: string, syncId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: max(notifications.createdAt) })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, orgId),
        eq(notifications.synchronisationId, syncId),
        eq(notifications.event, 'run.failed'),
      ),
    );
  return row?.at ?? null;
}

/** "2026-12-07 06:40 UTC": a time in a notification's words, the same for every reader. */
export function toldTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
