// A connection's members run together — from the Run button and on the connection's schedule — and its
// page shows them side by side: each member's latest run (result and counts) and its contracts.
import { and, desc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  connections,
  contractCounts as contractCountsTable,
  mappings,
  runs,
  schemas,
  type RunTrigger,
} from '../db/schema';
import { noteScheduledTime } from '../runner/schedule-notes';
import { loadConnection, membersOf } from './connections';
import { requestRun } from './runs';
import { nextRunAt } from './schedule';
import { loadSource } from './sources';

export interface ConnectionRunRequest {
  trigger: RunTrigger;
  test?: boolean;
  /** Rewrite unchanged objects too (each member's run as a forced run). */
  force?: boolean;
  requestedBy?: string | null;
}

/**
 * Queues a run of every enabled member (a test run of every member); a member already running gives
 * that run back. Disabled members are left out and named, so a person knows why they did not run.
 */
export async function requestConnectionRun(
  db: Db,
  orgId: string,
  connectionId: string,
  request: ConnectionRunRequest,
) {
  await loadConnection(db, orgId, connectionId);
  const members = await membersOf(db, orgId, connectionId);
  const started: {
    syncId: string;
    runId: string;
    alreadyActive: boolean;
    run: typeof runs.$inferSelect;
  }[] = [];
  const skipped: { syncId: string; name: string; reason: string }[] = [];
  for (const sync of members) {
    if (!sync.enabled && !request.test) {
      skipped.push({ syncId: sync.id, name: sync.name, reason: 'disabled' });
      continue;
    }
    const { run, alreadyActive } = await requestRun(db, orgId, sync.id, request);
    started.push({ syncId: sync.id, runId: run.id, alreadyActive, run });
  }
  return { started, skipped };
}

/** The runs of connections whose schedule is due (the ticker calls this), their next time moved on. */
export async function requestDueConnectionRuns(db: Db, now = new Date()): Promise<string[]> {
  const due = await db
    .select()
    .from(connections)
    .where(and(lte(connections.nextRunAt, now), isNotNull(connections.scheduleCron)));
  const requested: string[] = [];
  for (const connection of due) {
    const { started } = await requestConnectionRun(db, connection.orgId, connection.id, {
      trigger: 'schedule',
    });
    requested.push(...started.filter((s) => !s.alreadyActive).map((s) => s.runId));
    const next = connection.scheduleCron
      ? nextRunAt(connection.scheduleCron, connection.scheduleTimezone, now)
      : null;
    const time = { dueAt: connection.nextRunAt!, next, now, timezone: connection.scheduleTimezone };
    for (const { run, alreadyActive } of started)
      await noteScheduledTime(db, { run, alreadyActive, regular: true, requestedNow: requested }, time);
    await db.update(connections).set({ nextRunAt: next }).where(eq(connections.id, connection.id));
  }
  return requested;
}

/** The connection's page: the connection, its source, and each member with its latest run and contracts. */
export async function connectionStatus(db: Db, orgId: string, connectionId: string) {
  const connection = await loadConnection(db, orgId, connectionId);
  const source = await loadSource(db, orgId, connection.sourceId);
  const members = await membersOf(db, orgId, connectionId);
  const ids = members.map((m) => m.id);
  const [contractCounts, schemaRows, mappingRows, latest] = await Promise.all([
    ids.length
      ? db
          // The counts triggers keep exact: a few rows per member, however many contracts it has.
          .select({
            syncId: contractCountsTable.synchronisationId,
            status: contractCountsTable.status,
            n: sql<number>`sum(${contractCountsTable.n})`.mapWith(Number),
          })
          .from(contractCountsTable)
          .where(
            and(eq(contractCountsTable.orgId, orgId), inArray(contractCountsTable.synchronisationId, ids)),
          )
          .groupBy(contractCountsTable.synchronisationId, contractCountsTable.status)
      : [],
    ids.length
      ? db
          .select({ id: schemas.id, name: schemas.name })
          .from(schemas)
          .where(
            and(
              eq(schemas.orgId, orgId),
              inArray(
                schemas.id,
                members.map((m) => m.targetSchemaId ?? ''),
              ),
            ),
          )
      : [],
    ids.length
      ? db
          .select({ id: mappings.id, name: mappings.name })
          .from(mappings)
          .where(
            and(
              eq(mappings.orgId, orgId),
              inArray(
                mappings.id,
                members.map((m) => m.mappingId ?? ''),
              ),
            ),
          )
      : [],
    // The latest real run of each member (few members: one indexed query each).
    Promise.all(
      members.map(async (m) => {
        const [run] = await db
          .select()
          .from(runs)
          .where(and(eq(runs.orgId, orgId), eq(runs.synchronisationId, m.id), eq(runs.test, false)))
          .orderBy(desc(runs.createdAt), desc(runs.id))
          .limit(1);
        return run ?? null;
      }),
    ),
  ]);
  return {
    connection,
    source: { id: source.id, name: source.name, type: source.type },
    members: members.map((sync, i) => {
      const counts = contractCounts.filter((c) => c.syncId === sync.id);
      return {
        sync: {
          id: sync.id,
          name: sync.name,
          enabled: sync.enabled,
          sourceEndpoint: sync.sourceEndpoint,
          targetRegisterId: sync.targetRegisterId,
          targetSchemaId: sync.targetSchemaId,
          mappingId: sync.mappingId,
        },
        schemaName: schemaRows.find((s) => s.id === sync.targetSchemaId)?.name ?? null,
        mappingName: mappingRows.find((m) => m.id === sync.mappingId)?.name ?? null,
        lastRun: latest[i] ?? null,
        contracts: {
          total: counts.reduce((sum, c) => sum + c.n, 0),
          byStatus: Object.fromEntries(counts.map((c) => [c.status, c.n])),
        },
      };
    }),
  };
}
