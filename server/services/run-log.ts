// What a run's log page reads besides the run itself: its timeline (pages, retries, the deletion
// phase) and its entries grouped by reason — 3,376 identical lines are one group with a count and a
// few examples, each example an object id linked to its contract.
import { and, asc, count, eq, sql } from 'drizzle-orm';
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
  const where = and(eq(runEntries.orgId, orgId), eq(runEntries.runId, runId));
  const groups = await db
    .select({ action: runEntries.action, reason: runEntries.reason, count: count() })
    .from(runEntries)
    .where(where)
    .groupBy(runEntries.action, runEntries.reason)
    .orderBy(sql`count(*) desc`, runEntries.action, runEntries.reason)
    .limit(MAX_GROUPS + 1);
  // The first few ids of every group in one statement: numbered within their group by a window.
  const numbered = db
    .select({
      action: runEntries.action,
      reason: runEntries.reason,
      originId: runEntries.originId,
      n: sql<number>`row_number() over (partition by ${runEntries.action}, ${runEntries.reason} order by ${runEntries.id})`.as(
        'n',
      ),
    })
    .from(runEntries)
    .where(and(where, sql`${runEntries.originId} is not null`))
    .as('numbered');
  const examples = await db
    .select({ action: numbered.action, reason: numbered.reason, originId: numbered.originId })
    .from(numbered)
    .where(sql`${numbered.n} <= ${EXAMPLES}`);
  const contractIds = await contractIdsByOrigin(
    db,
    orgId,
    run.synchronisationId,
    examples.flatMap((e) => (e.originId === null ? [] : [e.originId])),
  );
  const key = (action: string, reason: string | null) => `${action}\u0000${reason ?? ''}`;
  const byGroup = new Map<string, EntryGroup['examples']>();
  for (const e of examples) {
    if (e.originId === null) continue;
    const list = byGroup.get(key(e.action, e.reason)) ?? [];
    list.push({ originId: e.originId, contractId: contractIds.get(e.originId) ?? null });
    byGroup.set(key(e.action, e.reason), list);
  }
  const shown = groups.slice(0, MAX_GROUPS);
  return {
    groups: shown.map((g): EntryGroup => ({ ...g, examples: byGroup.get(key(g.action, g.reason)) ?? [] })),
    /** More reasons than shown: the list below holds them all. */
    more: groups.length > MAX_GROUPS,
  };
}
