// How each leg of a hub is doing: its last finished run, and whether it is healthy — ok, failing since
// the first failure after its last good run, or never run. One query per leg: a hub has a handful.
import { and, desc, eq, gt, inArray, min, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs } from '../db/schema';
import type { RunResult } from '../sync/core/run-result';

export type Health = { state: 'ok' } | { state: 'failing'; since: Date } | { state: 'never-run' };

export interface LastRun {
  id: string;
  result: RunResult | null;
  trigger: string;
  at: Date;
  message: string | null;
}

export async function legHealth(
  db: Db,
  orgId: string,
  syncId: string,
): Promise<{ lastRun: LastRun | null; health: Health }> {
  const finished = and(
    eq(runs.orgId, orgId),
    eq(runs.synchronisationId, syncId),
    eq(runs.status, 'finished'),
  );
  const [last] = await db
    .select({
      id: runs.id,
      result: runs.result,
      trigger: runs.trigger,
      at: sql<number>`coalesce(${runs.finishedAt}, ${runs.createdAt})`.mapWith(Number),
      message: runs.message,
    })
    .from(runs)
    .where(finished)
    .orderBy(desc(runs.finishedAt), desc(runs.createdAt))
    .limit(1);
  if (!last) return { lastRun: null, health: { state: 'never-run' } };
  const lastRun = { ...last, at: new Date(last.at) };
  if (last.result !== 'error') return { lastRun, health: { state: 'ok' } };
  // The failures since the last run that did not fail: the first of them is when it started failing.
  const [good] = await db
    .select({ at: runs.finishedAt })
    .from(runs)
    .where(and(finished, inArray(runs.result, ['success', 'warning'])))
    .orderBy(desc(runs.finishedAt))
    .limit(1);
  const [first] = await db
    .select({ at: min(runs.finishedAt) })
    .from(runs)
    .where(and(finished, eq(runs.result, 'error'), good?.at ? gt(runs.finishedAt, good.at) : undefined));
  return { lastRun, health: { state: 'failing', since: first?.at ?? lastRun.at } };
}
