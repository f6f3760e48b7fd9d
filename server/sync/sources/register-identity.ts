// Keeps a register source's contracts with their register objects (core/register-claims.ts decides;
// this reads and writes): before the engine sees a page of register objects, the contracts of their
// origin ids and of the objects themselves are read (two indexed lookups), an object whose data id
// changed takes its contract to its new id, and an object whose id another object's contract holds is
// refused with an entry. The contracts the engine writes remember their object (`store`). A test run
// reads and refuses the same, and writes nothing.
import { and, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  contractReadColumns,
  contracts,
  contractsOfOrg,
  ofSynchronisation,
  syncSeqOfOrgSql,
} from '../../db/schema';
import { canonicalJson } from '../core/canonical-json';
import { readOriginId } from '../core/ids';
import type { RefusedObject } from '../core/refused';
import { parsePath } from '../core/paths';
import { decideClaims, type ClaimContract, type ClaimRow, type LegacyOwner } from '../core/register-claims';
import type { ContractStore } from '../ports';
import { withOriginData } from '../stores/source-copies';
import { registerObject } from './register';

export interface RegisterRow {
  readonly id: string;
  readonly data: Record<string, unknown>;
}

export interface RegisterIdentityOptions {
  readonly db: Db;
  readonly orgId: string;
  readonly syncId: string;
  readonly schemaId: string;
  readonly idField: string;
  readonly test: boolean;
}

export interface ResolvedPage {
  /** The objects the engine is handed (as registerObject makes them), in the page's order. */
  readonly objects: Record<string, unknown>[];
  readonly refused: RefusedObject[];
  /** Object id → the origin id it went to the engine with; refused objects are not in it. */
  readonly originIds: Map<string, string | null>;
}

export interface RegisterIdentity {
  resolve(rows: readonly RegisterRow[], page: number): Promise<ResolvedPage>;
  /** The contract store, recording the register object of each contract the engine creates. */
  store(inner: ContractStore): ContractStore;
  /**
   * The origin id whose contract each of these deleted objects leaves behind, or null when none is its
   * own: the contract it owns (whatever id its data had last), else the contract of its data's id unless
   * another object owns that one, or — recorded before contracts remembered their object — another live
   * object still carries that id.
   */
  departed(rows: readonly RegisterRow[]): Promise<Map<string, string | null>>;
}

export function createRegisterIdentity(o: RegisterIdentityOptions): RegisterIdentity {
  const { db } = o;
  const ofSync = and(contractsOfOrg(o.orgId), ofSynchronisation(o.syncId));
  // Per page: origin id → register object, for the contracts the engine may create from it.
  const owners = new Map<number, Map<string, string>>();

  // Raw SQL, the ids in ONE JSON parameter (as the contract store's per-page statements): a query built
  // per page with a thousand parameters cost more than running it, on every page of every push.
  async function contractsOf(originIds: string[], objectIds: string[]): Promise<ClaimContract[]> {
    const seq = syncSeqOfOrgSql('?1', '?2');
    const columns = 'seq, origin_id, origin_object, target_id, status';
    // Two lookups, each along its own index (an OR of the two would walk the synchronisation's contracts);
    // `origin_object IS NOT NULL` lets SQLite take the partial index of recorded objects.
    const [byOrigin, byObject] = await Promise.all([
      originIds.length === 0
        ? { rows: [] }
        : db.$client.execute({
            sql: `SELECT ${columns} FROM contracts WHERE sync_seq = ${seq}
              AND origin_id IN (SELECT value FROM json_each(?3))`,
            args: [o.orgId, o.syncId, JSON.stringify(originIds)],
          }),
      objectIds.length === 0
        ? { rows: [] }
        : db.$client.execute({
            sql: `SELECT ${columns} FROM contracts WHERE sync_seq = ${seq} AND origin_object IS NOT NULL
              AND origin_object IN (SELECT value FROM json_each(?3))`,
            args: [o.orgId, o.syncId, JSON.stringify(objectIds)],
          }),
    ]);
    const all = new Map<number, ClaimContract>();
    for (const row of [...byOrigin.rows, ...byObject.rows]) {
      const status = row.status as string;
      all.set(Number(row.seq), {
        seq: Number(row.seq),
        originId: row.origin_id as string,
        originObject: (row.origin_object as string | null) ?? null,
        targetId: (row.target_id as string | null) ?? null,
        deleted: status === 'deleted',
      });
    }
    return [...all.values()];
  }

  async function liveObjects(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const result = await db.$client.execute({
      sql: `SELECT id FROM objects WHERE id IN (SELECT value FROM json_each(?3)) AND deleted_at IS NULL
        AND +schema_seq = (SELECT seq FROM schemas WHERE id = ?1 AND org_id = ?2)`,
      args: [o.schemaId, o.orgId, JSON.stringify(ids)],
    });
    return new Set(result.rows.map((r) => r.id as string));
  }

  const originOf = (row: RegisterRow) => {
    const id = readOriginId(registerObject(row), o.idField);
    return id.ok ? id.id : null;
  };

  /**
   * Who made each contract recorded before contracts remembered their object: the object that still
   * holds what it was made from (its kept source object), else the only live object with its id. The
   * schema is searched for those ids only when the page's objects do not settle it; once claimed, never.
   */
  async function legacyOwners(legacy: ClaimContract[], rows: readonly RegisterRow[]) {
    const verdicts = new Map<string, LegacyOwner>();
    if (legacy.length === 0) return verdicts;
    const kept = await withOriginData(
      db,
      await db
        .select({
          originId: contracts.originId,
          storedOriginData: contractReadColumns.storedOriginData,
          originCopy: contracts.originCopy,
          originCopyAt: contracts.originCopyAt,
        })
        .from(contracts)
        .where(
          and(
            ofSync,
            inArray(
              contracts.originId,
              legacy.map((c) => c.originId),
            ),
          ),
        ),
    );
    const copyOf = new Map(
      kept.map((k) => [k.originId, k.originData == null ? null : canonicalJson(k.originData)]),
    );
    const unsettled: string[] = [];
    for (const c of legacy) {
      const copy = copyOf.get(c.originId) ?? null;
      const same = rows.find((r) => originOf(r) === c.originId && canonicalJson(registerObject(r)) === copy);
      if (same) verdicts.set(c.originId, { owner: same.id });
      else unsettled.push(c.originId);
    }
    if (unsettled.length === 0) return verdicts;
    const holders = await objectsWithIds(unsettled);
    for (const row of rows) {
      const id = originOf(row);
      if (id !== null && unsettled.includes(id)) holders.set(row.id, { id, data: row.data });
    }
    for (const originId of unsettled) {
      const candidates = [...holders].flatMap(([objectId, h]) => (h.id === originId ? [objectId] : []));
      const copy = copyOf.get(originId) ?? null;
      const same = candidates.find(
        (id) => canonicalJson(registerObject({ id, data: holders.get(id)!.data })) === copy,
      );
      if (same) verdicts.set(originId, { owner: same });
      else if (candidates.length === 1) verdicts.set(originId, { owner: candidates[0]! });
      else verdicts.set(originId, { candidates: candidates.sort() });
    }
    return verdicts;
  }

  /** The schema's live objects whose data gives one of these origin ids. */
  async function objectsWithIds(ids: string[]) {
    const path = jsonPath(o.idField);
    const result = await db.$client.execute({
      sql: `SELECT id, data FROM objects
        WHERE schema_seq = (SELECT seq FROM schemas WHERE id = ?1 AND org_id = ?2) AND deleted_at IS NULL
        AND (${path === null ? '0' : 'CAST(json_extract(data, ?3) AS TEXT) IN (SELECT value FROM json_each(?4))'}
        ${o.idField === 'id' ? "OR (json_type(data, '$.id') IS NULL AND id IN (SELECT value FROM json_each(?4)))" : ''})`,
      args: [o.schemaId, o.orgId, path ?? '$', JSON.stringify(ids)],
    });
    const found = new Map<string, { id: string; data: Record<string, unknown> }>();
    for (const row of result.rows) {
      const objectId = row.id as string;
      const data = JSON.parse(row.data as string) as Record<string, unknown>;
      const id = originOf({ id: objectId, data });
      if (id !== null && ids.includes(id)) found.set(objectId, { id, data });
    }
    return found;
  }

  async function applyClaims(
    writes: { seq: number; set: 'move' | 'claim'; originId: string; objectId: string }[],
  ) {
    if (writes.length === 0 || o.test) return;
    const seq = syncSeqOfOrgSql('?1', '?2');
    const statements = [
      // Moves go through a placeholder first, so two objects that swapped ids swap contracts.
      ...writes
        .filter((w) => w.set === 'move')
        .map((w) => ({
          sql: `UPDATE contracts SET origin_id = ?3 WHERE sync_seq = ${seq} AND seq = ?4`,
          args: [o.orgId, o.syncId, `\u0001moving ${w.seq}`, w.seq],
        })),
      ...writes.map((w) => ({
        sql: `UPDATE contracts SET origin_id = ?3, origin_object = ?4 WHERE sync_seq = ${seq} AND seq = ?5`,
        args: [o.orgId, o.syncId, w.originId, w.objectId, w.seq],
      })),
    ];
    await db.$client.batch(statements, 'write');
  }

  async function resolve(rows: readonly RegisterRow[], page: number): Promise<ResolvedPage> {
    const claimRows: ClaimRow[] = rows.map((r) => ({ objectId: r.id, originId: originOf(r) }));
    const originIds = [...new Set(claimRows.flatMap((r) => (r.originId === null ? [] : [r.originId])))];
    const found = await contractsOf(
      originIds,
      rows.map((r) => r.id),
    );
    const live = await liveObjects([
      ...new Set(found.flatMap((c) => (c.originObject ? [c.originObject] : []))),
    ]);
    const legacy = found.filter((c) => !c.deleted && c.originObject === null);
    const verdicts = await legacyOwners(legacy, rows);
    const claims = decideClaims(claimRows, { contracts: found, liveOwners: live, legacy: verdicts });
    const handed: Record<string, unknown>[] = [];
    const refused: RefusedObject[] = [];
    const writes: Parameters<typeof applyClaims>[0] = [];
    const pageOwners = new Map<string, string>();
    const originsOut = new Map<string, string | null>();
    claims.forEach((claim, i) => {
      const row = rows[i]!;
      const originId = claimRows[i]!.originId;
      if (claim.kind === 'refuse') {
        refused.push({ originId: originId ?? row.id, reason: claim.reason, keepListed: claim.keepListed });
        return;
      }
      if (claim.kind === 'move' || claim.kind === 'claim')
        writes.push({ seq: claim.seq, set: claim.kind, originId: originId!, objectId: row.id });
      if (claim.kind === 'pass' && claim.owner && originId !== null) pageOwners.set(originId, row.id);
      originsOut.set(row.id, originId);
      handed.push(registerObject(row));
    });
    await applyClaims(writes);
    owners.set(page, pageOwners);
    return { objects: handed, refused, originIds: originsOut };
  }

  /** The register object a contract of this origin id is made from, on a page not yet done. */
  function ownerOf(originId: string): string | undefined {
    for (const ids of owners.values()) {
      const object = ids.get(originId);
      if (object !== undefined) return object;
    }
    return undefined;
  }

  function store(inner: ContractStore): ContractStore {
    return {
      ...inner,
      // Each new contract remembers the object it was made from, in its own row's write (an UPDATE per
      // contract after it took a push of 100,000 objects 1.5 s more).
      async upsert(states, at) {
        await inner.upsert(
          o.test
            ? states
            : states.map((s) => {
                const originObject = ownerOf(s.originId);
                return originObject === undefined ? s : { ...s, originObject };
              }),
          at,
        );
      },
      async markSeen(request) {
        await inner.markSeen(request);
        // The page is done: its contracts are written.
        owners.delete(request.page);
      },
    };
  }

  async function departed(rows: readonly RegisterRow[]) {
    const gone = new Map<string, string | null>();
    if (rows.length === 0) return gone;
    const ids = rows.map((r) => originOf(r)).filter((id): id is string => id !== null);
    const found = await contractsOf(
      [...new Set(ids)],
      rows.map((r) => r.id),
    );
    const owned = new Map(
      found.flatMap((c) => (c.originObject ? [[c.originObject, c.originId] as const] : [])),
    );
    const atOrigin = new Map(found.map((c) => [c.originId, c]));
    const legacy = rows.flatMap((r) => {
      const id = originOf(r);
      return id !== null && !owned.has(r.id) && atOrigin.get(id)?.originObject === null ? [id] : [];
    });
    const stillHeld = legacy.length === 0 ? new Map() : await objectsWithIds(legacy);
    const heldIds = new Set([...stillHeld.values()].map((h: { id: string }) => h.id));
    for (const row of rows) {
      const own = owned.get(row.id);
      const id = originOf(row);
      if (own !== undefined) gone.set(row.id, own);
      else if (id === null) gone.set(row.id, null);
      else if (atOrigin.get(id)?.originObject) gone.set(row.id, null);
      else gone.set(row.id, heldIds.has(id) ? null : id);
    }
    return gone;
  }

  return { resolve, store, departed };
}

/** The id field as an SQLite JSON path (`$."a"."b"[0]`), or null when it does not parse. */
function jsonPath(idField: string): string | null {
  const parsed = parsePath(idField);
  if (!parsed.ok) return null;
  return (
    '$' +
    parsed.segments
      .map((s) =>
        'index' in s ? `[${s.index}]` : `."${s.key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
      )
      .join('')
  );
}
