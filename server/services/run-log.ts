// What a run's log page reads besides the run itself: its timeline (pages, retries, the deletion
// phase) and its entries grouped by reason — 3,376 identical lines are one group with a count and a
// few examples, each example an object id linked to its contract.
import { and, asc, count, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runEntries, runEvents } from '../db/schema';
import type { RunEntryAction } from '../sync/ports';
import { contractIdsByOrigin } from './contracts';
import { loadRun } from './runs';

/** A page of the run's timeline, in the order the steps wrote it (a page's retries before the page). */
export async function runTimeline(
  db: Db,
  orgId: string,
  runId: string,
  q: { page: number; pageSize: number },
) {
  await loadRun(db, orgId, runId);
  const where = and(eq(runEvents.orgId, orgId), eq(runEvents.runId, runId));
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: runEvents.id,
        kind: runEvents.kind,
        at: runEvents.at,
        page: runEvents.page,
        url: runEvents.url,
        status: runEvents.status,
        durationMs: runEvents.durationMs,
        objects: runEvents.objects,
        waitMs: runEvents.waitMs,
        detail: runEvents.detail,
        data: runEvents.data,
      })
      .from(runEvents)
      .where(where)
      .orderBy(asc(runEvents.createdAt), asc(runEvents.seq))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(runEvents).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export interface EntryGroup {
  action: RunEntryAction;
  reason: string | null;
  count: number;
  examples: { originId: string; contractId: string | null }[];
}

const EXAMPLES = 5;
const MAX_GROUPS = 50;

/** The run's entries by action and reason, the largest groups first, with a few examples each. */
export async function runEntryGroups(db: Db, orgId: string, runId: string) {
  const run = await loadRun(db, orgId, runId);
  // The run is the organisation's (loadRun): its entries are found by the run alone, so the groups are
  // counted along the (run, action, reason) index without reading a row (migration 0053).
  const groups = await db
    .select({ action: runEntries.action, reason: runEntries.reason, count: count() })
    .from(runEntries)
    .where(eq(runEntries.runId, runId))
    .groupBy(runEntries.action, runEntries.reason)
    .orderBy(sql`count(*) desc`, runEntries.action, runEntries.reason)
    .limit(MAX_GROUPS + 1);
  const shown = groups.slice(0, MAX_GROUPS);
  // Each group's first ids, in the order they were written: the start of its range of that index.
  const examples = await Promise.all(
    shown.map((g) =>
      db
        .select({ originId: runEntries.originId })
        .from(runEntries)
        .where(
          and(
            eq(runEntries.runId, runId),
            eq(runEntries.action, g.action),
            g.reason === null ? isNull(runEntries.reason) : eq(runEntries.reason, g.reason),
            isNotNull(runEntries.originId),
          ),
        )
        .orderBy(sql`${runEntries}.rowid`)
        .limit(EXAMPLES),
    ),
  );
  const contractIds = await contractIdsByOrigin(
    db,
    orgId,
    run.synchronisationId,
    examples.flat().flatMap((e) => (e.originId === null ? [] : [e.originId])),
  );
  return {
    // Each group with its own examples (a group without a reason and one with an empty reason apart).
    groups: shown.map((g, i): EntryGroup => ({
      ...g,
      examples: (examples[i] ?? []).flatMap((e) =>
        e.originId === null
          ? []
          : [{ originId: e.originId, contractId: contractIds.get(e.originId) ?? null }],
      ),
    })),
    /** More reasons than shown: the list below holds them all. */
    more: groups.length > MAX_GROUPS,
  };
}
