// Incremental reading on the synchronisation's side of the API: the settings checked against the kind
// of source when saved, the reconciliation schedule, and the cursor as its page shows it (with a reset).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { mappings, schemas, synchronisations, syncStates } from '../db/schema';
import { isCursorValue } from '../sync/core/incremental/values';
import { chooseListing } from '../sync/core/incremental/window';
import { readStored } from '../sync/config/stored';
import { syncSourceConfigSchema, type SyncSourceConfig } from '../sync/config/sync-config';
import { UserError } from './errors';
import { checkSchedule, nextRunAt } from './schedule';
import { loadSynchronisation } from './synchronisations';

type Row = typeof synchronisations.$inferSelect;

/** REST asks the source for changes with a query; SQL filters its column itself. */
export function checkIncremental(sourceType: string, config: SyncSourceConfig, timezone: string): void {
  const incremental = config.incremental;
  if (!incremental) return;
  if (sourceType === 'rest' && !incremental.query) {
    throw new UserError(
      'BAD_REQUEST',
      'Give the query parameter that asks the API for changes, such as updated_since={{cursor}}.',
      'sourceConfig.incremental.query',
    );
  }
  if (sourceType === 'sql' && incremental.query) {
    throw new UserError(
      'BAD_REQUEST',
      'An SQL source needs no query parameter: the column is compared in the query itself.',
      'sourceConfig.incremental.query',
    );
  }
  if (incremental.reconcileCron) {
    try {
      checkSchedule(incremental.reconcileCron, timezone);
    } catch (error) {
      if (error instanceof UserError && error.field === 'scheduleCron')
        throw new UserError('BAD_REQUEST', error.message, 'sourceConfig.incremental.reconcileCron');
      throw error;
    }
  }
}

const storedSourceConfig = (row: Row) =>
  readStored(syncSourceConfigSchema, row.sourceConfig, `synchronisation ${row.id}`).data;

function incrementalOf(row: Row) {
  return storedSourceConfig(row)?.incremental;
}

/**
 * The last edit of a mapping the synchronisation writes with — its objects', its target's, its sub-
 * objects' — as a run weighs it against the cursor (sync/run/setup.ts): null when it uses none.
 */
async function lastMappingEdit(db: Db, orgId: string, row: Row): Promise<Date | null> {
  const subs = storedSourceConfig(row)?.subObjects ?? [];
  const ids = [row.mappingId, row.targetMappingId, ...subs.map((sub) => sub.mappingId)].filter(
    (id): id is string => !!id,
  );
  if (ids.length === 0) return null;
  const rows = await db
    .select({ updatedAt: mappings.updatedAt })
    .from(mappings)
    .where(and(eq(mappings.orgId, orgId), inArray(mappings.id, ids)));
  return rows.reduce<Date | null>(
    (latest, m) => (latest && latest >= m.updatedAt ? latest : m.updatedAt),
    null,
  );
}

/** Whether the synchronisation reads incrementally (only then is a run full or incremental). */
export const readsIncrementally = (row: Row): boolean => incrementalOf(row) !== undefined;

/** When the reconciliation schedule next asks for a full run (null: no such schedule, or disabled). */
export function nextReconcileAt(row: Row, from = new Date()): Date | null {
  const cron = incrementalOf(row)?.reconcileCron;
  return row.enabled && cron ? nextRunAt(cron, row.scheduleTimezone, from) : null;
}

/** When the target register schema was last edited, as a run weighs it (null: another kind of target). */
async function targetSchemaEdit(db: Db, orgId: string, row: Row): Promise<Date | null> {
  if (row.targetType !== 'register' || !row.targetSchemaId) return null;
  const [schema] = await db
    .select({ updatedAt: schemas.updatedAt })
    .from(schemas)
    .where(and(eq(schemas.orgId, orgId), eq(schemas.id, row.targetSchemaId)));
  return schema?.updatedAt ?? null;
}

/** What the synchronisation's page shows: the cursor, and when the next full reconciliation comes. */
export async function incrementalState(db: Db, orgId: string, syncId: string) {
  const row = await loadSynchronisation(db, orgId, syncId);
  const incremental = incrementalOf(row);
  if (!incremental) return null;
  const [state] = await db
    .select()
    .from(syncStates)
    .where(and(eq(syncStates.orgId, orgId), eq(syncStates.synchronisationId, syncId)));
  const cursor = isCursorValue(state?.cursor) ? state.cursor : null;
  const cursorSetAt = cursor === null ? null : (state?.cursorSetAt ?? null);
  const every = incremental.reconcileEveryRuns ?? null;
  const runsSinceFull = state?.runsSinceFull ?? 0;
  // The rule a run applies: an edit since the cursor was taken (or no cursor) makes the next run full.
  const next = chooseListing({
    settings: {
      field: incremental.field,
      lookbackSeconds: incremental.lookbackSeconds,
      reconcileEveryRuns: every,
    },
    state: { cursor, cursorSetAt, runsSinceFull },
    requestedFull: false,
    configChangedAt: row.updatedAt,
    mappingChangedAt: await lastMappingEdit(db, orgId, row),
    targetChangedAt: await targetSchemaEdit(db, orgId, row),
  });
  return {
    field: incremental.field,
    lookbackSeconds: incremental.lookbackSeconds,
    cursor,
    cursorSetAt,
    runsSinceFull,
    /** Incremental runs left before one is full (0: the next run is full); null: not counted. */
    runsUntilFull: next.kind === 'full' ? 0 : every === null ? null : Math.max(0, every - 1 - runsSinceFull),
    reconcileCron: incremental.reconcileCron ?? null,
    nextReconcileAt: state?.nextReconcileAt ?? null,
  };
}

/** Forgets the cursor: the next run lists everything (a full reconciliation) and takes a new one. */
export async function resetCursor(db: Db, orgId: string, syncId: string) {
  await loadSynchronisation(db, orgId, syncId);
  await db
    .update(syncStates)
    .set({ cursor: null, cursorSetAt: null, runsSinceFull: 0 })
    .where(and(eq(syncStates.orgId, orgId), eq(syncStates.synchronisationId, syncId)));
  return incrementalState(db, orgId, syncId);
}

/**
 * Forgets the cursors of every synchronisation reading `sourceId`, whose settings (address, database,
 * headers…) changed: a cursor is a position in what the source held, and another server or database
 * may hold objects changed before it. Their next runs list everything (a full reconciliation).
 */
export async function forgetCursorsOfSource(tx: Tx, orgId: string, sourceId: string): Promise<void> {
  const reading = tx
    .select({ id: synchronisations.id })
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.sourceId, sourceId)));
  await tx
    .update(syncStates)
    .set({ cursor: null, cursorSetAt: null, runsSinceFull: 0 })
    .where(and(eq(syncStates.orgId, orgId), inArray(syncStates.synchronisationId, reading)));
}
