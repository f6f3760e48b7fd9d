// Contracts: one contract in full with both sides of its object, and re-syncing that one object. The
// paged, filtered list is contracts-list.ts.
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  conflicts,
  contractColumns,
  contractReadColumns,
  contractById,
  contractIdSql,
  contracts,
  contractsOfOrg,
  contractsSynchronisation,
  mappings,
  ofSynchronisation,
  runs,
  synchronisations,
} from '../db/schema';
import { syncSourceConfigSchema } from '../sync/config/sync-config';
import { readStored } from '../sync/config/stored';
import { withOriginData } from '../sync/stores/source-copies';
import { subObjectOriginId } from '../sync/core/sub-objects';
import { UserError, notFound } from './errors';
import { previewMapping } from './mappings';
import { getObject } from './registers';
import { loadSynchronisation } from './synchronisations';

export async function getContract(db: Db, orgId: string, contractId: string) {
  const [row] = await db
    .select(contractColumns)
    .from(contracts)
    .innerJoin(synchronisations, contractsSynchronisation)
    .where(and(contractsOfOrg(orgId), contractById(contractId)));
  if (!row) throw notFound('The contract');
  const [withData] = await withOriginData(db, [row]);
  return withData!;
}

/** The contract ids of some origin ids of one synchronisation (links from a run's entries). */
export async function contractIdsByOrigin(db: Db, orgId: string, syncId: string, originIds: string[]) {
  const ids = [...new Set(originIds)];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: contractIdSql, originId: contracts.originId })
    .from(contracts)
    .where(and(contractsOfOrg(orgId), ofSynchronisation(syncId), inArray(contracts.originId, ids)));
  return new Map(rows.map((row) => [row.originId, row.id]));
}

type SyncRow = Awaited<ReturnType<typeof loadSynchronisation>>;

/** The mapping that applies to this contract's object: the sync's, or its sub-objects' for a child. */
async function mappingConfigFor(
  db: Db,
  sync: SyncRow,
  contract: { originId: string; parentOriginId: string | null },
) {
  let mappingId = sync.mappingId;
  if (contract.parentOriginId !== null) {
    const parent = contract.parentOriginId;
    const subs =
      readStored(syncSourceConfigSchema, sync.sourceConfig, `synchronisation ${sync.id} source settings`).data
        ?.subObjects ?? [];
    const sub = subs.find((s) => contract.originId.startsWith(subObjectOriginId(parent, s.path, '')));
    mappingId = sub?.mappingId ?? null;
  }
  if (!mappingId) return null;
  const [row] = await db
    .select({ config: mappings.config })
    .from(mappings)
    .where(and(eq(mappings.orgId, sync.orgId), eq(mappings.id, mappingId)));
  return row?.config ?? null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A contract with the source object as last seen, what the mapping makes of it, and the target object. */
export async function contractDetail(db: Db, orgId: string, contractId: string) {
  const contract = await getContract(db, orgId, contractId);
  const sync = await loadSynchronisation(db, orgId, contract.synchronisationId);
  const source = isObject(contract.originData) ? contract.originData : null;
  let mapped: ReturnType<typeof previewMapping> | null = null;
  if (source) {
    const config = await mappingConfigFor(db, sync, contract);
    mapped = config === null ? { ok: true, result: source, missing: [] } : previewMapping(config, source);
  }
  let target: {
    id: string;
    data: Record<string, unknown>;
    version: number;
    updatedAt: Date;
    deletedAt: Date | null;
  } | null = null;
  let targetNote: string | null = null;
  if (sync.targetType !== 'register') {
    targetNote =
      'Concord does not fetch objects from a REST target; the hashes and times show what it last wrote.';
  } else if (!contract.targetId) {
    targetNote = 'No object was written to the register for this contract yet.';
  } else {
    try {
      const row = await getObject(db, orgId, contract.targetId);
      target = {
        id: row.id,
        data: row.data,
        version: row.version,
        updatedAt: row.updatedAt,
        deletedAt: row.deletedAt,
      };
      if (row.deletedAt) targetNote = 'This register object is deleted.';
    } catch (error) {
      if (!(error instanceof UserError && error.code === 'NOT_FOUND')) throw error;
      targetNote = 'The register object no longer exists: someone may have removed it.';
    }
  }
  // Two-way: this object's conflicts, newest first — where a settled conflict keeps the losing version.
  const history = await db
    .select({
      id: conflicts.id,
      kind: conflicts.kind,
      status: conflicts.status,
      resolvedBy: conflicts.resolvedBy,
      resolvedAt: conflicts.resolvedAt,
      losingData: conflicts.losingData,
      createdAt: conflicts.createdAt,
      // Found at the first match (no base): read as the conflicts' pages read it (isFirstMatch).
      firstMatch:
        sql<boolean>`(${conflicts.kind} = 'both-changed' AND ${conflicts.baseData} IS NULL)`.mapWith(Boolean),
    })
    .from(conflicts)
    .where(
      and(
        eq(conflicts.orgId, orgId),
        eq(conflicts.synchronisationId, sync.id),
        eq(conflicts.originId, contract.originId),
      ),
    )
    .orderBy(desc(conflicts.createdAt))
    .limit(20);
  // An unchanged object is not rewritten (a run writes no row per unchanged object), so the contract's
  // times are those of its last write; when the source was last read whole is the synchronisation's.
  const [lastListing] = await db
    .select({ runId: runs.id, startedAt: runs.startedAt })
    .from(runs)
    .where(
      and(
        eq(runs.orgId, orgId),
        eq(runs.synchronisationId, sync.id),
        eq(runs.status, 'finished'),
        eq(runs.complete, true),
        // A file read to its end with a line it could not read is not a whole read of the source.
        eq(runs.unreadable, 0),

        eq(runs.test, false),
        or(isNull(runs.listing), eq(runs.listing, 'full')),
      ),
    )
    .orderBy(desc(runs.startedAt))
    .limit(1);
  return {
    contract,
    lastCompleteListing: lastListing ?? null,
    sync: { id: sync.id, name: sync.name, targetType: sync.targetType, enabled: sync.enabled },
    source,
    mapped,
    target,
    targetNote,
    conflicts: history,
  };
}

/**
 * Queues a forced run for this one object from the source object as last seen (a sub-object is
 * re-synced with the object it was found in). The caller dispatches the run.
 */
export async function requestContractResync(db: Db, orgId: string, contractId: string, requestedBy: string) {
  let contract = await getContract(db, orgId, contractId);
  const sync = await loadSynchronisation(db, orgId, contract.synchronisationId);
  if (!sync.enabled)
    throw new UserError(
      'BAD_REQUEST',
      'This synchronisation is disabled. Enable it first, then re-sync the object.',
    );
  if (contract.parentOriginId !== null) {
    const [parent] = await db
      .select(contractReadColumns)
      .from(contracts)
      .where(
        and(
          contractsOfOrg(orgId),
          ofSynchronisation(sync.id),
          eq(contracts.originId, contract.parentOriginId),
        ),
      );
    if (!parent)
      throw notFound(`The contract of the object "${contract.parentOriginId}" this one was found in`);
    const [withData] = await withOriginData(db, [parent]);
    contract = { ...withData!, synchronisationId: sync.id };
  }
  if (contract.status === 'deleted' || contract.status === 'held') {
    throw new UserError(
      'BAD_REQUEST',
      'The source no longer lists this object, so there is nothing to re-sync.',
    );
  }
  const object = contract.originData;
  if (!isObject(object)) {
    throw new UserError(
      'BAD_REQUEST',
      'Concord has not kept the source object of this contract yet. Run the synchronisation once, then re-sync it.',
    );
  }
  // Shaped like a webhook's object run (the executors run those as one object), but forced and by a person.
  const [run] = await db
    .insert(runs)
    .values({
      orgId,
      synchronisationId: sync.id,
      trigger: 'manual',
      force: true,
      requestedBy,
      cursor: { object },
    })
    .returning();
  return { run: run!, object };
}

/**
 * Releases an object the flap breaker quarantined: its count starts again and the next run decides it
 * as usual (from the bases it had). Anything else is refused: only a quarantine is released.
 */
export async function releaseQuarantine(db: Db, orgId: string, contractId: string) {
  const contract = await getContract(db, orgId, contractId);
  if (contract.status !== 'quarantined')
    throw new UserError('BAD_REQUEST', 'This object is not quarantined: there is nothing to release.');
  await db
    .update(contracts)
    .set({ status: 'synced', lastAction: 'skip', lastError: null, flips: 0, flipsSince: null })
    .where(and(contractsOfOrg(orgId), contractById(contractId), eq(contracts.status, 'quarantined')));
  return { released: true };
}
