// A record's history for people: the versions of one contract (each run that changed its object, with
// what changed since the version before), the objects one run created, updated and deleted, every run
// that touched an object id, and where a register object came from. Every query is filtered by
// organisation, also where an id alone would find the row: a version through its contract or its run,
// which are the caller's organisation's (a version holds no org_id of its own).
import { and, count, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  CONTRACT_VERSIONS_KEPT,
  contractIdSql,
  contracts,
  contractsOfOrg,
  contractVersions,
  objects,
  objectsOfOrg,
  runEntries,
  runs,
  synchronisations,
  users,
  type VersionAction,
  versionData,
  versionTargetIdSql,
} from '../db/schema';
import { unionAll } from 'drizzle-orm/sqlite-core';
import { getContract } from './contracts';
import { loadRun } from './runs';
import { diffVersions, type VersionChange } from '../sync/core/json-changes';

const parsed = (data: string | null): unknown => (data === null ? null : (JSON.parse(data) as unknown));

/**
 * A contract's versions, newest first, each with its run (trigger, who asked for it) and the changes
 * from the version before it (the oldest kept version is compared with nothing: all its fields are new).
 */
export async function contractHistory(db: Db, orgId: string, contractId: string) {
  const contract = await getContract(db, orgId, contractId);
  const rows = await db
    .select({
      id: contractVersions.id,
      action: contractVersions.action,
      originHash: contractVersions.originHash,
      targetHash: contractVersions.targetHash,
      // The object it was written to, when the contract names another since (migration 0054).
      targetId: contractVersions.targetId,
      // Its own data, or the copy made when its register object changed (migration 0034).
      data: sql<string | null>`coalesce(${contractVersions.data}, ${versionData.data})`,
      at: contractVersions.updatedAt,
      runId: runs.id,
      trigger: runs.trigger,
      force: runs.force,
      requestedByName: users.name,
    })
    .from(contractVersions)
    .leftJoin(versionData, eq(versionData.versionId, contractVersions.id))
    .leftJoin(runs, and(eq(runs.seq, contractVersions.runSeq), eq(runs.orgId, orgId)))
    .leftJoin(users, eq(users.id, runs.requestedBy))
    // The contract is the organisation's (getContract): so are its versions.
    .where(eq(contractVersions.contractSeq, contract.seq))
    .orderBy(desc(contractVersions.id))
    .limit(CONTRACT_VERSIONS_KEPT);
  // A creation whose version is still the contract itself (contracts.createdRunSeq): the oldest.
  const first = await firstVersionHeldByContract(db, orgId, contract.seq);
  if (first && rows.length < CONTRACT_VERSIONS_KEPT) rows.push(first);
  const held = await heldData(db, orgId, contract.targetId, rows);
  // A deletion has no data; a version without its own reads what the object holds (heldData).
  const data = rows.map((row) =>
    parsed(row.data ?? (row.action === 'delete' ? null : (held.get(row.targetHash ?? '') ?? null))),
  );
  const versions = rows.map((row, i) => {
    // A deletion changes no field: the object is gone.
    const changes: VersionChange[] =
      row.action === 'delete' ? [] : diffVersions(i + 1 < rows.length ? data[i + 1] : null, data[i]);
    const targetId = row.targetId ?? contract.targetId;
    return { ...row, targetId, number: rows.length - i, data: data[i], changes };
  });
  return { contractId: contract.id, originId: contract.originId, versions };
}

/**
 * The version a contract is while its creation is its only one (contracts.createdRunSeq, migration
 * 0051): the creating run, the contract's hashes and creation time; the register object holds the data.
 * Id 0, which no version row has.
 */
async function firstVersionHeldByContract(db: Db, orgId: string, contractSeq: number) {
  const [row] = await db
    .select({
      originHash: contracts.originHash,
      targetHash: contracts.targetHash,
      at: contracts.createdAt,
      runId: runs.id,
      trigger: runs.trigger,
      force: runs.force,
      requestedByName: users.name,
    })
    .from(contracts)
    .leftJoin(runs, and(eq(runs.seq, contracts.createdRunSeq), eq(runs.orgId, orgId)))
    .leftJoin(users, eq(users.id, runs.requestedBy))
    .where(and(eq(contracts.seq, contractSeq), isNotNull(contracts.createdRunSeq)));
  return row ? { ...row, id: 0, action: 'create' as const, targetId: null, data: null } : undefined;
}

/**
 * The data of versions that left it to the register object (their data NULL, see
 * sync/stores/contract-versions.ts): the object's, by its hash, while it still holds exactly what the
 * version wrote. Before the object changes or goes, a trigger copies it into version_data.
 */
async function heldData(
  db: Db,
  orgId: string,
  targetId: string | null,
  rows: readonly { action: VersionAction; data: string | null; targetHash: string | null }[],
): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  if (targetId === null || !rows.some((r) => r.data === null && r.action !== 'delete')) return held;
  const [object] = await db
    .select({ hash: objects.hash, data: sql<string>`${objects.data}` })
    .from(objects)
    .where(and(objectsOfOrg(orgId), eq(objects.id, targetId)));
  if (object) held.set(object.hash, object.data);
  return held;
}

export interface ChangedObjectsQuery {
  action?: VersionAction;
  page: number;
  pageSize: number;
}

/**
 * The objects a run created, updated, rewrote or deleted, with their contracts, a page at a time: its
 * version rows, and its creations whose version is still their contract (contracts.createdRunSeq).
 */
export async function changedObjectsOfRun(db: Db, orgId: string, runId: string, q: ChangedObjectsQuery) {
  // The run is the organisation's (loadRun), and so is every contract its versions belong to. Its
  // versions name it by its number, and so do the contracts it created.
  const run = await loadRun(db, orgId, runId);
  const ofRun = run.seq === null ? sql`false` : eq(contractVersions.runSeq, run.seq);
  const where = and(ofRun, q.action ? eq(contractVersions.action, q.action) : undefined);
  // On the partial index contracts_created_run; listed unless another action is asked for.
  const createdByRun =
    run.seq === null ? sql`false` : and(eq(contracts.createdRunSeq, run.seq), contractsOfOrg(orgId));
  const listsCreations = q.action === undefined || q.action === 'create';
  const created = listsCreations ? createdByRun : sql`false`;
  const versioned = db
    .select({
      seq: contracts.seq,
      contractId: contractIdSql,
      action: contractVersions.action,
      originId: contracts.originId,
      // The object this run wrote, which the contract may no longer name (a hard deletion, then back).
      targetId: versionTargetIdSql,
      at: contractVersions.updatedAt,
    })
    .from(contractVersions)
    .innerJoin(contracts, and(eq(contracts.seq, contractVersions.contractSeq), contractsOfOrg(orgId)))
    .where(where);
  const implicit = db
    .select({
      seq: contracts.seq,
      contractId: contractIdSql,
      action: sql<VersionAction>`'create'`.as('action'),
      originId: contracts.originId,
      targetId: contracts.targetId,
      at: contracts.createdAt,
    })
    .from(contracts)
    .where(created);
  const [rows, [total], byAction, [createdHere]] = await Promise.all([
    // Both parts in contract order (the (run, contract) index's, and the partial index's rowid order).
    unionAll(versioned, implicit)
      .orderBy(sql`1`)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(contractVersions).where(where),
    db
      .select({ action: contractVersions.action, n: count() })
      .from(contractVersions)
      .where(ofRun)
      .groupBy(contractVersions.action),
    db.select({ n: count() }).from(contracts).where(createdByRun),
  ]);
  const counts = Object.fromEntries(byAction.map((r) => [r.action, r.n])) as Partial<
    Record<VersionAction, number>
  >;
  const implicitCount = createdHere?.n ?? 0;
  if (implicitCount > 0) counts.create = (counts.create ?? 0) + implicitCount;
  return {
    rows: rows.map(({ seq: _seq, ...row }) => row),
    total: (total?.n ?? 0) + (listsCreations ? implicitCount : 0),
    counts,
    page: q.page,
    pageSize: q.pageSize,
  };
}

const RUNS_SHOWN = 200;

/**
 * Every run that touched an object id — an origin id or a target (register) id of any of the
 * organisation's synchronisations: the runs that wrote a version of it, and the runs whose log has a
 * line about it (an error, a held deletion, a conflict). Newest first.
 */
export async function runsTouchingObject(db: Db, orgId: string, objectId: string) {
  const id = objectId.trim();
  if (!id) return { objectId: id, runs: [] };
  // Through the org's synchronisations, so the (sync, origin) and (sync, target) indexes serve it.
  const syncsOfOrg = db
    .select({ seq: synchronisations.seq })
    .from(synchronisations)
    .where(eq(synchronisations.orgId, orgId));
  const columns = {
    seq: contracts.seq,
    id: contractIdSql,
    originId: contracts.originId,
    syncSeq: contracts.syncSeq,
    createdRunSeq: contracts.createdRunSeq,
  };
  // Two lookups, each on its index: (sync, origin id) and (sync, target id). Together, as an OR,
  // SQLite walked every contract of each synchronisation.
  const [byOrigin, byTarget] = await Promise.all([
    db
      .select(columns)
      .from(contracts)
      .where(and(inArray(contracts.syncSeq, syncsOfOrg), eq(contracts.originId, id)))
      .limit(100),
    db
      .select(columns)
      .from(contracts)
      .where(and(inArray(contracts.syncSeq, syncsOfOrg), eq(contracts.targetId, id)))
      .limit(100),
  ]);
  // A version names its target object itself once its contract names another (migration 0054): an
  // origin id finds all its contract's versions, a register id those that still read the contract's
  // target id, and those that name it themselves (on the partial index of such rows).
  const originSeqs = byOrigin.map((c) => c.seq);
  const targetSeqs = byTarget.map((c) => c.seq).filter((seq) => !originSeqs.includes(seq));
  const versionColumnsOfRun = {
    id: contractVersions.id,
    runId: runs.id,
    contractSeq: contractVersions.contractSeq,
    action: contractVersions.action,
  };
  const [ofOrigin, ofTarget, moved] = await Promise.all([
    originSeqs.length === 0
      ? []
      : db
          .select(versionColumnsOfRun)
          .from(contractVersions)
          .leftJoin(runs, eq(runs.seq, contractVersions.runSeq))
          // The organisation's contracts, found above.
          .where(inArray(contractVersions.contractSeq, originSeqs))
          .orderBy(desc(contractVersions.id))
          .limit(RUNS_SHOWN),
    targetSeqs.length === 0
      ? []
      : db
          .select(versionColumnsOfRun)
          .from(contractVersions)
          .leftJoin(runs, eq(runs.seq, contractVersions.runSeq))
          .where(and(inArray(contractVersions.contractSeq, targetSeqs), isNull(contractVersions.targetId)))
          .orderBy(desc(contractVersions.id))
          .limit(RUNS_SHOWN),
    db
      .select({ ...versionColumnsOfRun, contract: columns })
      .from(contractVersions)
      .innerJoin(contracts, and(eq(contracts.seq, contractVersions.contractSeq), contractsOfOrg(orgId)))
      .leftJoin(runs, eq(runs.seq, contractVersions.runSeq))
      .where(eq(contractVersions.targetId, id))
      .orderBy(desc(contractVersions.id))
      .limit(RUNS_SHOWN),
  ]);
  const matching = [
    ...new Map([...byOrigin, ...byTarget, ...moved.map((v) => v.contract)].map((c) => [c.id, c])).values(),
  ];
  const versioned = [...new Map([...ofOrigin, ...ofTarget, ...moved].map((v) => [v.id, v])).values()]
    .sort((a, b) => b.id - a.id)
    .slice(0, RUNS_SHOWN);
  // Creations whose version is still their contract (contracts.createdRunSeq) name their run there:
  // the object the contract names now (its first change writes the version out as a row).
  const createdBy = [...byOrigin, ...byTarget].flatMap((c) =>
    c.createdRunSeq === null ? [] : [c.createdRunSeq],
  );
  const [implicit, logged] = await Promise.all([
    createdBy.length === 0
      ? []
      : db
          .select({ runId: runs.id, seq: runs.seq })
          .from(runs)
          .where(and(eq(runs.orgId, orgId), inArray(runs.seq, createdBy))),
    db
      .select({ runId: runEntries.runId, action: runEntries.action, reason: runEntries.reason })
      .from(runEntries)
      .where(and(eq(runEntries.orgId, orgId), eq(runEntries.originId, id)))
      .orderBy(desc(runEntries.id))
      .limit(RUNS_SHOWN),
  ]);
  const runOfSeq = new Map(implicit.map((r) => [r.seq, r.runId]));
  const written = [
    ...versioned,
    ...[...byOrigin, ...byTarget].flatMap((c) => {
      const runId = c.createdRunSeq === null ? undefined : runOfSeq.get(c.createdRunSeq);
      return runId === undefined ? [] : [{ runId, contractSeq: c.seq, action: 'create' as const }];
    }),
  ];
  const contractOf = new Map(matching.map((c) => [c.seq, c]));
  type Touch = { actions: Set<string>; reasons: string[]; contractSeq: number | null };
  const touches = new Map<string, Touch>();
  const touch = (runId: string) => {
    let t = touches.get(runId);
    if (!t) touches.set(runId, (t = { actions: new Set(), reasons: [], contractSeq: null }));
    return t;
  };
  for (const w of written) {
    if (!w.runId) continue;
    const t = touch(w.runId);
    t.actions.add(w.action);
    t.contractSeq ??= w.contractSeq;
  }
  for (const e of logged) {
    const t = touch(e.runId);
    t.actions.add(e.action);
    if (e.reason && t.reasons.length < 3) t.reasons.push(e.reason);
  }
  const runIds = [...touches.keys()];
  if (runIds.length === 0) return { objectId: id, runs: [] };
  const found = await db
    .select({
      id: runs.id,
      syncId: runs.synchronisationId,
      syncSeq: synchronisations.seq,
      syncName: synchronisations.name,
      trigger: runs.trigger,
      status: runs.status,
      result: runs.result,
      test: runs.test,
      startedAt: runs.startedAt,
      createdAt: runs.createdAt,
    })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(and(eq(runs.orgId, orgId), inArray(runs.id, runIds)))
    .orderBy(desc(runs.createdAt), desc(runs.id));
  return {
    objectId: id,
    runs: found.map(({ syncSeq, ...run }) => {
      const t = touches.get(run.id)!;
      const contract = t.contractSeq === null ? undefined : contractOf.get(t.contractSeq);
      // A run with only a log line names the contract of its synchronisation and this origin id, if any.
      const contractId =
        contract?.id ?? matching.find((c) => c.syncSeq === syncSeq && c.originId === id)?.id ?? null;
      return { ...run, actions: [...t.actions], reasons: t.reasons, contractId };
    }),
  };
}

/**
 * Where a register object came from: the contracts that link it (each synchronisation that writes it,
 * with the origin id it has there) and the synchronisation that last wrote it.
 */
export async function registerObjectOrigins(db: Db, orgId: string, objectId: string) {
  const syncsOfOrg = db
    .select({ seq: synchronisations.seq })
    .from(synchronisations)
    .where(eq(synchronisations.orgId, orgId));
  return db
    .select({
      contractId: contractIdSql,
      originId: contracts.originId,
      status: contracts.status,
      lastAction: contracts.lastAction,
      syncId: synchronisations.id,
      syncName: synchronisations.name,
      direction: synchronisations.direction,
      lastSynced: contracts.targetLastSynced,
    })
    .from(contracts)
    .innerJoin(
      synchronisations,
      and(eq(synchronisations.seq, contracts.syncSeq), eq(synchronisations.orgId, orgId)),
    )
    .where(
      and(
        inArray(contracts.syncSeq, syncsOfOrg),
        eq(contracts.targetId, objectId),
        // A pull's contract links the register object it wrote; push contracts link objects elsewhere.
        eq(synchronisations.targetType, 'register'),
      ),
    )
    .orderBy(desc(contracts.updatedAt))
    .limit(20);
}
