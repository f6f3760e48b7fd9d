// The delivery ledger of the hub's fan-out (db/schema/run-changes.ts): which change went to which
// subscriber, by which run, and how it ended. A push run claims its changes before it delivers them —
// one INSERT … ON CONFLICT DO NOTHING on the unique (change, subscriber) — and delivers only those it
// holds, so a change queued twice for a subscriber goes out once.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runChanges, type RunChangeOutcome } from '../../db/schema';

/** The (change, subscriber) pairs already claimed, as `changeId:syncId`: a drain queues no run for them. */
export async function claimedPairs(db: Db, changeIds: readonly string[]): Promise<Set<string>> {
  if (changeIds.length === 0) return new Set();
  const rows = await db
    .select({ changeId: runChanges.changeId, syncId: runChanges.synchronisationId })
    .from(runChanges)
    .where(inArray(runChanges.changeId, [...new Set(changeIds)]));
  return new Set(rows.map((row) => `${row.changeId}:${row.syncId}`));
}

export interface RunScope {
  readonly orgId: string;
  readonly runId: string;
  readonly syncId: string;
  readonly schemaId: string;
}

/**
 * Claims the run's changes (object id → change id) for its subscriber and answers the object ids this
 * run holds: those it claimed now, and those it claimed before (a resumed run delivers them again — the
 * contracts make that a no-op where it got through). Objects without a change id are always held.
 */
export async function claimChanges(
  db: Db,
  scope: RunScope,
  changes: Readonly<Record<string, string>>,
  objectIds: readonly string[],
): Promise<Set<string>> {
  const withChange = objectIds.filter((id) => changes[id] !== undefined);
  const held = new Set(objectIds.filter((id) => changes[id] === undefined));
  if (withChange.length === 0) return held;
  const rows = JSON.stringify(withChange.map((id) => [changes[id], id]));
  const now = Date.now();
  await db.run(sql`INSERT INTO run_changes (org_id, change_id, synchronisation_id, run_id, schema_id, object_id, outcome, created_at, updated_at)
    SELECT ${scope.orgId}, value ->> 0, ${scope.syncId}, ${scope.runId}, ${scope.schemaId}, value ->> 1, 'pending', ${now}, ${now}
    FROM json_each(${rows}) WHERE true
    ON CONFLICT (change_id, synchronisation_id) DO NOTHING`);
  const mine = await db
    .select({ objectId: runChanges.objectId })
    .from(runChanges)
    .where(and(eq(runChanges.orgId, scope.orgId), eq(runChanges.runId, scope.runId)));
  for (const row of mine) held.add(row.objectId);
  return held;
}

/**
 * A retry run's claims: the changes it tries again were claimed by the run that could not deliver them
 * (failed, or left pending by a run that died). Those claims move to this run — its log then names the
 * change and how it ended — unless another run still under way holds them; then the usual claim.
 */
export async function reclaimChanges(
  db: Db,
  scope: RunScope,
  changes: Readonly<Record<string, string>>,
  objectIds: readonly string[],
): Promise<Set<string>> {
  const ids = objectIds.flatMap((id) => (changes[id] !== undefined ? [changes[id]] : []));
  if (ids.length > 0)
    await db.run(sql`UPDATE run_changes SET run_id = ${scope.runId}, outcome = 'pending', updated_at = ${Date.now()}
      WHERE synchronisation_id = ${scope.syncId} AND org_id = ${scope.orgId}
        AND change_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
        AND outcome IN ('failed', 'pending') AND run_id <> ${scope.runId}
        AND run_id IN (SELECT id FROM runs WHERE status IN ('finished', 'cancelled'))`);
  return claimChanges(db, scope, changes, objectIds);
}

/** The object ids this run claimed (the deletions step reads them after the page step). */
export async function heldByRun(db: Db, orgId: string, runId: string): Promise<Set<string>> {
  const rows = await db
    .select({ objectId: runChanges.objectId })
    .from(runChanges)
    .where(and(eq(runChanges.orgId, orgId), eq(runChanges.runId, runId)));
  return new Set(rows.map((row) => row.objectId));
}

/** Records how each delivered object ended, in one statement. */
export async function settleChanges(
  db: Db,
  scope: Pick<RunScope, 'orgId' | 'runId'>,
  outcomes: ReadonlyMap<string, RunChangeOutcome>,
): Promise<void> {
  if (outcomes.size === 0) return;
  const rows = JSON.stringify([...outcomes]);
  await db.run(sql`UPDATE run_changes SET outcome = o.value ->> 1, updated_at = ${Date.now()}
    FROM json_each(${rows}) AS o
    WHERE run_changes.org_id = ${scope.orgId} AND run_changes.run_id = ${scope.runId}
      AND run_changes.object_id = o.value ->> 0`);
}

export interface DeliveredChange {
  changeId: string;
  objectId: string;
  outcome: RunChangeOutcome;
  updatedAt: Date;
}

/** A run's "Changes delivered". */
export async function changesOfRun(db: Db, orgId: string, runId: string): Promise<DeliveredChange[]> {
  return db
    .select({
      changeId: runChanges.changeId,
      objectId: runChanges.objectId,
      outcome: runChanges.outcome,
      updatedAt: runChanges.updatedAt,
    })
    .from(runChanges)
    .where(and(eq(runChanges.orgId, orgId), eq(runChanges.runId, runId)))
    .orderBy(runChanges.changeId)
    .limit(500);
}

/** A schema's latest deliveries, newest first (the hub page groups them by change). */
export async function recentDeliveries(db: Db, orgId: string, schemaId: string, limit: number) {
  return db
    .select({
      changeId: runChanges.changeId,
      objectId: runChanges.objectId,
      syncId: runChanges.synchronisationId,
      runId: runChanges.runId,
      outcome: runChanges.outcome,
      createdAt: runChanges.createdAt,
    })
    .from(runChanges)
    .where(and(eq(runChanges.orgId, orgId), eq(runChanges.schemaId, schemaId)))
    .orderBy(desc(runChanges.createdAt), desc(runChanges.changeId))
    .limit(limit);
}
