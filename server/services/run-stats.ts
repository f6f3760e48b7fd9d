// What the log pages read besides the run rows: the recent finished runs' counts and durations (the
// chart, and a basis for a running run's time estimate) and the names on a run's page.
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs, synchronisations, users } from '../db/schema';
import { notFound } from './errors';

export interface RunStatsQuery {
  syncId?: string;
  limit: number;
}

/** The last `limit` finished runs, oldest first (the order a chart reads). */
export async function runStats(db: Db, orgId: string, q: RunStatsQuery) {
  const filters: SQL[] = [eq(runs.orgId, orgId), eq(runs.status, 'finished')];
  if (q.syncId) filters.push(eq(runs.synchronisationId, q.syncId));
  const rows = await db
    .select({
      id: runs.id,
      syncId: runs.synchronisationId,
      syncName: synchronisations.name,
      test: runs.test,
      force: runs.force,
      result: runs.result,
      complete: runs.complete,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      found: runs.found,
      created: runs.created,
      updated: runs.updated,
      rewritten: runs.rewritten,
      deleted: runs.deleted,
      skipped: runs.skipped,
      invalid: runs.invalid,
      failed: runs.failed,
    })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(and(...filters))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(q.limit);
  return rows.reverse().map((row) => ({ ...row, durationMs: durationOf(row.startedAt, row.finishedAt) }));
}

export function durationOf(startedAt: Date | null, finishedAt: Date | null): number | null {
  return startedAt && finishedAt ? Math.max(0, finishedAt.getTime() - startedAt.getTime()) : null;
}

/** The names a run's page shows: its synchronisation's and that of the person who asked for it. */
export async function runNames(db: Db, orgId: string, runId: string) {
  const [row] = await db
    .select({ syncId: synchronisations.id, syncName: synchronisations.name, requestedByName: users.name })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .leftJoin(users, eq(users.id, runs.requestedBy))
    .where(and(eq(runs.orgId, orgId), eq(runs.id, runId)));
  if (!row) throw notFound('The run');
  return row;
}
