// The conflict queue of two-way synchronisations: the organisation's conflicts (filtered, newest
// first), one conflict with its three-way diff, and the count of open ones for the navigation.
// Resolving is in conflict-resolution.ts.
import { and, asc, count, desc, eq, gte, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conflicts, runs, synchronisations, type ConflictKind, type ConflictStatus } from '../db/schema';
import { readStored } from '../sync/config/stored';
import { twoWayConfigSchema } from '../sync/config/sync-config';
import type { ConflictPolicy } from '../sync/core/two-way/settings';
import { conflictKeyFields, threeWayDiff } from '../sync/core/two-way/three-way-diff';
import { notFound } from './errors';

export interface ConflictQuery {
  syncId?: string;
  status?: ConflictStatus;
  kind?: ConflictKind;
  limit: number;
  /** Keyset paging: conflicts found before this one. */
  before?: string;
}

export async function loadConflict(db: Db, orgId: string, conflictId: string) {
  const [row] = await db
    .select()
    .from(conflicts)
    .where(and(eq(conflicts.orgId, orgId), eq(conflicts.id, conflictId)));
  if (!row) throw notFound('The conflict');
  return row;
}

/**
 * Two versions with no base: found on both sides (paired by the match field) before Concord had ever
 * synchronised the object, so neither side "changed" — the two systems simply hold different values.
 */
export function isFirstMatch(row: Pick<typeof conflicts.$inferSelect, 'kind' | 'baseData'>): boolean {
  return row.kind === 'both-changed' && (row.baseData ?? null) === null;
}

/** The synchronisation's id field as saved (its source's objects are identified by it). */
export function sourceIdFieldOf(sourceConfig: unknown): string | null {
  const field = (sourceConfig as { sourceIdField?: unknown } | null)?.sourceIdField;
  return typeof field === 'string' && field !== '' ? field : null;
}

/** A page of conflicts, newest first, each named by its synchronisation; `more` when older ones follow. */
export async function listConflicts(db: Db, orgId: string, q: ConflictQuery) {
  const filters: (SQL | undefined)[] = [eq(conflicts.orgId, orgId)];
  if (q.syncId) filters.push(eq(conflicts.synchronisationId, q.syncId));
  if (q.status) filters.push(eq(conflicts.status, q.status));
  if (q.kind) filters.push(eq(conflicts.kind, q.kind));
  const matching = and(...filters);
  let page = matching;
  if (q.before) {
    const pivot = await loadConflict(db, orgId, q.before);
    page = and(
      matching,
      or(
        lt(conflicts.createdAt, pivot.createdAt),
        and(eq(conflicts.createdAt, pivot.createdAt), lt(conflicts.id, pivot.id)),
      ),
    );
  }
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: conflicts.id,
        synchronisationId: conflicts.synchronisationId,
        synchronisationName: synchronisations.name,
        originId: conflicts.originId,
        targetId: conflicts.targetId,
        kind: conflicts.kind,
        firstMatch:
          sql<boolean>`(${conflicts.kind} = 'both-changed' AND ${conflicts.baseData} IS NULL)`.mapWith(
            Boolean,
          ),
        status: conflicts.status,
        createdAt: conflicts.createdAt,
        resolvedAt: conflicts.resolvedAt,
      })
      .from(conflicts)
      .innerJoin(synchronisations, eq(synchronisations.id, conflicts.synchronisationId))
      .where(page)
      .orderBy(desc(conflicts.createdAt), desc(conflicts.id))
      .limit(q.limit + 1),
    db.select({ n: count() }).from(conflicts).where(matching),
  ]);
  return { rows: rows.slice(0, q.limit), more: rows.length > q.limit, total: total?.n ?? 0 };
}

/** Conflicts waiting for a person: the organisation's, or one synchronisation's. */
export async function countOpenConflicts(db: Db, orgId: string, syncId?: string) {
  const [row] = await db
    .select({ n: count() })
    .from(conflicts)
    .where(
      and(
        eq(conflicts.orgId, orgId),
        eq(conflicts.status, 'open'),
        syncId ? eq(conflicts.synchronisationId, syncId) : undefined,
      ),
    );
  return row?.n ?? 0;
}

/** The conflict policy a stored two-way configuration stands for (the default when there is none). */
export function conflictPolicyOf(twoWay: unknown, syncId: string): ConflictPolicy {
  const parsed = readStored(twoWayConfigSchema, twoWay ?? {}, `synchronisation ${syncId} two-way settings`);
  return parsed.success ? parsed.data.conflictPolicy : 'manual';
}

/**
 * The run that writes a resolution: the one that applied it, else the oldest real run of the
 * synchronisation that had not started when the person resolved (a run applies resolutions when it
 * starts). Null when none is queued (the synchronisation was disabled, say).
 */
async function resolutionRun(db: Db, row: typeof conflicts.$inferSelect) {
  const runId = row.appliedRunId;
  if (!runId && (row.status !== 'resolving' || !row.resolvedAt)) return null;
  const [run] = await db
    .select({ id: runs.id, status: runs.status, result: runs.result, createdAt: runs.createdAt })
    .from(runs)
    .where(
      runId
        ? and(eq(runs.orgId, row.orgId), eq(runs.id, runId))
        : and(
            eq(runs.orgId, row.orgId),
            eq(runs.synchronisationId, row.synchronisationId),
            eq(runs.test, false),
            ne(runs.status, 'cancelled'),
            or(isNull(runs.startedAt), gte(runs.startedAt, row.resolvedAt!)),
          ),
    )
    .orderBy(asc(runs.createdAt), asc(runs.id))
    .limit(1);
  return run ?? null;
}

/** One conflict with its three-way diff, its synchronisation and the run that writes its resolution. */
export async function getConflict(db: Db, orgId: string, conflictId: string) {
  const row = await loadConflict(db, orgId, conflictId);
  const [sync] = await db
    .select({
      id: synchronisations.id,
      name: synchronisations.name,
      enabled: synchronisations.enabled,
      direction: synchronisations.direction,
      twoWay: synchronisations.twoWay,
      sourceConfig: synchronisations.sourceConfig,
    })
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, row.synchronisationId)));
  if (!sync) throw notFound('The synchronisation of this conflict');
  const { twoWay, sourceConfig, ...syncFacts } = sync;
  return {
    conflict: row,
    sync: { ...syncFacts, conflictPolicy: conflictPolicyOf(twoWay, sync.id) },
    firstMatch: isFirstMatch(row),
    rows: threeWayDiff(
      row.baseData ?? null,
      row.sourceMapped ?? null,
      row.targetData ?? null,
      conflictKeyFields(sourceIdFieldOf(sourceConfig)),
    ),
    run: await resolutionRun(db, row),
  };
}
