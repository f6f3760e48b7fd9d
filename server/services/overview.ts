// The Overview: where an operator starts the day. Every synchronisation's health (last result, failing
// since when, next run, objects), what needs attention (failing synchronisations, held deletions, open
// conflicts, quarantined objects, objects the target refused or did not take yet — and when they are
// tried again by themselves), the latest runs, and a new organisation's first steps. A handful of
// grouped queries for the whole organisation, whatever the number of synchronisations.
import { and, count, desc, eq, gt, inArray, max, min, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  conflicts,
  contractCounts as contractCountsTable,
  mappings,
  registers,
  runs,
  schemas,
  sources,
  synchronisations,
  syncStates,
} from '../db/schema';
import type { RunResult } from '../sync/core/run-result';
import { retriesOfOrg } from '../sync/stores/push-retries';
import { shownNextRunAt } from './schedule';

export type SyncHealth =
  { state: 'ok' } | { state: 'warning' } | { state: 'failing'; since: Date } | { state: 'never-run' };

export interface SyncOverview {
  id: string;
  name: string;
  enabled: boolean;
  disabledReason: string | null;
  health: SyncHealth;
  lastRun: { id: string; result: RunResult | null; at: Date; message: string | null } | null;
  /** A run queued or under way now. */
  active: { id: string; status: 'queued' | 'running' } | null;
  nextRunAt: Date | null;
  scheduleTimezone: string | null;
  /** Objects the target holds as last synchronised (synced, or their deletion held). */
  objects: number;
  held: number;
  quarantined: number;
  /** Objects the target refused (rejected contracts): not sent again until they change. */
  refused: number;
  /**
   * Objects whose last write or deletion did not go through for a passing reason (failed contracts: a
   * 5xx, a 429; and objects of a push that failed as a whole, the target down): a push synchronisation
   * tries them again by itself (stores/push-retries.ts), any synchronisation at its next run.
   */
  undelivered: number;
  /** When the next automatic attempt of undelivered objects is; null when none is scheduled. */
  nextAttemptAt: Date | null;
  openConflicts: number;
}

/** Counts grouped by synchronisation, as a Map. */
function tally(rows: { syncId: string; n: number }[]): Map<string, number> {
  return new Map(rows.map((r) => [r.syncId, r.n]));
}

export async function getOverview(db: Db, orgId: string, now = new Date()) {
  const syncs = await db
    .select({
      id: synchronisations.id,
      name: synchronisations.name,
      enabled: synchronisations.enabled,
      disabledReason: synchronisations.disabledReason,
      scheduleCron: synchronisations.scheduleCron,
      scheduleTimezone: synchronisations.scheduleTimezone,
      oneTime: synchronisations.oneTime,
      runOnceAt: synchronisations.runOnceAt,
      storedNextRunAt: syncStates.nextRunAt,
    })
    .from(synchronisations)
    .leftJoin(syncStates, eq(syncStates.synchronisationId, synchronisations.id))
    .where(eq(synchronisations.orgId, orgId))
    .orderBy(synchronisations.name);

  // Real runs only: a test run plans, and its result says nothing about the synchronisation's health.
  // Nor does a push (or its retry) that wrote nothing (a deletion of an object the target never got, an object
  // already there): a target that refuses every connection would look healthy after it.
  const finished = and(
    eq(runs.orgId, orgId),
    eq(runs.status, 'finished'),
    eq(runs.test, false),
    sql`NOT (${runs.trigger} IN ('push', 'retry') AND ${runs.result} = 'success'
      AND ${runs.created} + ${runs.updated} + ${runs.rewritten} + ${runs.deleted} = 0)`,
  );

  const ranked = db
    .select({
      id: runs.id,
      syncId: sql<string>`${runs.synchronisationId}`.as('sync_id'),
      result: runs.result,
      at: sql<number>`coalesce(${runs.finishedAt}, ${runs.createdAt})`.as('at'),
      message: runs.message,
      rank: sql<number>`row_number() over (partition by ${runs.synchronisationId} order by ${runs.finishedAt} desc, ${runs.createdAt} desc)`.as(
        'rank',
      ),
    })
    .from(runs)
    .where(finished)
    .as('ranked');
  const lastRuns = await db.select().from(ranked).where(eq(ranked.rank, 1));
  const lastRunOf = new Map(lastRuns.map((r) => [r.syncId, r]));

  // Failing since: the first failure after the last run that did not fail.
  const lastGood = await db
    .select({ syncId: runs.synchronisationId, at: max(runs.finishedAt) })
    .from(runs)
    .where(and(finished, inArray(runs.result, ['success', 'warning'])))
    .groupBy(runs.synchronisationId);
  const goodAt = new Map(lastGood.map((r) => [r.syncId, r.at]));
  const failingIds = lastRuns.filter((r) => r.result === 'error').map((r) => r.syncId);
  const sinceOf = new Map<string, Date>();
  for (const syncId of failingIds) {
    const good = goodAt.get(syncId);
    const [first] = await db
      .select({ at: min(runs.finishedAt) })
      .from(runs)
      .where(
        and(
          finished,
          eq(runs.synchronisationId, syncId),
          eq(runs.result, 'error'),
          good ? gt(runs.finishedAt, good) : undefined,
        ),
      );
    if (first?.at) sinceOf.set(syncId, first.at);
  }

  const activeRows = await db
    .select({ id: runs.id, syncId: runs.synchronisationId, status: runs.status })
    .from(runs)
    .where(and(eq(runs.orgId, orgId), inArray(runs.status, ['queued', 'running'])))
    .orderBy(desc(runs.createdAt));
  const activeOf = new Map<string, { id: string; status: 'queued' | 'running' }>();
  for (const r of activeRows) {
    const status = r.status === 'running' ? 'running' : 'queued';
    if (!activeOf.has(r.syncId) || status === 'running') activeOf.set(r.syncId, { id: r.id, status });
  }

  // From the counts triggers keep exact (a few rows per synchronisation), not a count over every
  // contract of the organisation: at 1M contracts that walked them all on each visit.
  const contractCounts = await db
    .select({
      syncId: contractCountsTable.synchronisationId,
      status: contractCountsTable.status,
      n: sql<number>`sum(${contractCountsTable.n})`.mapWith(Number),
    })
    .from(contractCountsTable)
    .where(and(eq(contractCountsTable.orgId, orgId), ne(contractCountsTable.status, 'deleted')))
    .groupBy(contractCountsTable.synchronisationId, contractCountsTable.status);
  const objects = new Map<string, number>();
  const held = new Map<string, number>();
  const quarantined = new Map<string, number>();
  const refused = new Map<string, number>();
  const undelivered = new Map<string, number>();
  for (const row of contractCounts) {
    // In step: what the target holds as last written — not the refused, invalid or failed ones.
    if (row.status === 'synced' || row.status === 'held')
      objects.set(row.syncId, (objects.get(row.syncId) ?? 0) + row.n);
    if (row.status === 'held') held.set(row.syncId, row.n);
    if (row.status === 'quarantined') quarantined.set(row.syncId, row.n);
    if (row.status === 'rejected') refused.set(row.syncId, row.n);
    if (row.status === 'failed') undelivered.set(row.syncId, row.n);
  }
  const retries = await retriesOfOrg(db, orgId, now);
  for (const [syncId, waiting] of retries)
    if (waiting.withoutContract > 0)
      undelivered.set(syncId, (undelivered.get(syncId) ?? 0) + waiting.withoutContract);
  const openConflicts = tally(
    await db
      .select({ syncId: conflicts.synchronisationId, n: count() })
      .from(conflicts)
      .where(and(eq(conflicts.orgId, orgId), eq(conflicts.status, 'open')))
      .groupBy(conflicts.synchronisationId),
  );

  const synchronisationsOverview: SyncOverview[] = syncs.map((s) => {
    const last = lastRunOf.get(s.id);
    const since = sinceOf.get(s.id);
    // A run that skips a refused object (not sent again until it changes) succeeds; the object is
    // still missing from the target, so the synchronisation stays a warning until it lands. So does one
    // whose objects failed to go out: a later run with nothing to send (a push of a deletion of an object
    // never delivered) succeeds, and must not make a target that took nothing look healthy.
    const health: SyncHealth = !last
      ? { state: 'never-run' }
      : last.result === 'error'
        ? { state: 'failing', since: since ?? new Date(last.at) }
        : last.result === 'warning' || (refused.get(s.id) ?? 0) > 0 || (undelivered.get(s.id) ?? 0) > 0
          ? { state: 'warning' }
          : { state: 'ok' };
    return {
      id: s.id,
      name: s.name,
      enabled: s.enabled,
      disabledReason: s.disabledReason,
      health,
      lastRun: last
        ? { id: last.id, result: last.result, at: new Date(last.at), message: last.message }
        : null,
      active: activeOf.get(s.id) ?? null,
      nextRunAt: shownNextRunAt(s, now),
      scheduleTimezone: s.scheduleCron || s.oneTime ? s.scheduleTimezone : null,
      objects: objects.get(s.id) ?? 0,
      held: held.get(s.id) ?? 0,
      quarantined: quarantined.get(s.id) ?? 0,
      refused: refused.get(s.id) ?? 0,
      undelivered: undelivered.get(s.id) ?? 0,
      nextAttemptAt: retries.get(s.id)?.nextAttemptAt ?? null,
      openConflicts: openConflicts.get(s.id) ?? 0,
    };
  });

  const recentRuns = await db
    .select({
      id: runs.id,
      syncId: runs.synchronisationId,
      syncName: synchronisations.name,
      trigger: runs.trigger,
      status: runs.status,
      result: runs.result,
      test: runs.test,
      created: runs.created,
      updated: runs.updated,
      deleted: runs.deleted,
      failed: runs.failed,
      createdAt: runs.createdAt,
      finishedAt: runs.finishedAt,
    })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(eq(runs.orgId, orgId))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(10);

  return {
    synchronisations: synchronisationsOverview,
    attention: attentionOf(synchronisationsOverview),
    recentRuns,
    firstSteps: await firstSteps(db, orgId, syncs.length, lastRuns.length > 0),
  };
}

/** The next time a schedule runs it: what the ticker will act on, else the cron's next time. */
export type AttentionItem =
  | {
      kind: 'failing';
      syncId: string;
      syncName: string;
      since: Date;
      runId: string | null;
      message: string | null;
    }
  | { kind: 'held'; syncId: string; syncName: string; count: number }
  | { kind: 'conflicts'; syncId: string; syncName: string; count: number }
  | { kind: 'quarantined'; syncId: string; syncName: string; count: number }
  | { kind: 'refused'; syncId: string; syncName: string; count: number }
  | {
      kind: 'undelivered';
      syncId: string;
      syncName: string;
      count: number;
      /** When the next run comes by itself (its schedule), or null: it waits for someone to run it. */
      nextRunAt: Date | null;
      /**
       * When they are next tried by themselves (a push's retry), or null: none is scheduled (the
       * synchronisation is disabled or paused, or does not read a register), and the next run tries them.
       */
      nextAttemptAt: Date | null;
    };

function attentionOf(syncs: SyncOverview[]): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const s of syncs) {
    const base = { syncId: s.id, syncName: s.name };
    if (s.health.state === 'failing')
      items.push({
        kind: 'failing',
        ...base,
        since: s.health.since,
        runId: s.lastRun?.id ?? null,
        message: s.lastRun?.message ?? null,
      });
    if (s.held > 0) items.push({ kind: 'held', ...base, count: s.held });
    if (s.openConflicts > 0) items.push({ kind: 'conflicts', ...base, count: s.openConflicts });
    if (s.quarantined > 0) items.push({ kind: 'quarantined', ...base, count: s.quarantined });
    if (s.refused > 0) items.push({ kind: 'refused', ...base, count: s.refused });
    if (s.undelivered > 0)
      items.push({
        kind: 'undelivered',
        ...base,
        count: s.undelivered,
        nextRunAt: s.nextRunAt,
        nextAttemptAt: s.nextAttemptAt,
      });
  }
  return items;
}

/** A new organisation's checklist: each step ticks as what it asks for exists. */
async function firstSteps(db: Db, orgId: string, syncCount: number, hasRun: boolean) {
  const countOf = async (table: typeof sources | typeof registers | typeof schemas | typeof mappings) => {
    const [row] = await db.select({ n: count() }).from(table).where(eq(table.orgId, orgId));
    return row?.n ?? 0;
  };
  const [sourceCount, registerCount, schemaCount, mappingCount] = await Promise.all([
    countOf(sources),
    countOf(registers),
    countOf(schemas),
    countOf(mappings),
  ]);
  return [
    { step: 'source', done: sourceCount > 0 },
    { step: 'register', done: registerCount > 0 && schemaCount > 0 },
    { step: 'mapping', done: mappingCount > 0 },
    { step: 'synchronisation', done: syncCount > 0 },
    { step: 'run', done: hasRun },
  ] as const;
}
