// Re-keying a synchronisation's contracts when its id field changes (services/sync-rekey.ts decides
// when and says why it cannot): each contract's new origin id is read from the source object it kept,
// exactly as a run would read it (core/ids.ts readOriginId), and a sub-object's contract moves under
// its parent's new id. All of it runs inside the caller's transaction, so a refusal changes nothing.
//
// A page of contracts at a time (by seq), so a million of them never sit in memory at once. New ids go
// in as BLOBs first: a blob never equals a text, so a new id may be another contract's old one (`id`
// and `code` both numbers) without the unique index (sync_seq, origin_id) stopping the swap half-way,
// while two contracts given the same new id still collide — which each page checks first, to name
// them. Once every contract has its new id, one statement turns them back into text.
import { and, asc, eq, gt, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { contractReadColumns, contracts } from '../../db/schema';
import { readOriginId } from '../core/ids';
import { subObjectOriginId, subObjectPath, underNewParent } from '../core/sub-objects';
import { withOriginData } from './source-copies';

const PAGE = 500;

/** Stop at this many: the refusal names a few, not all. */
const EXAMPLES = 5;

/** A contract that cannot be re-keyed: its (old) origin id and why. */
export interface RekeyProblem {
  readonly originId: string;
  readonly reason: string;
}

export type RekeyResult =
  | {
      readonly ok: true;
      /** Contracts re-keyed. */
      readonly count: number;
      /** Old → new origin ids of the ids in `watch` (selected ids, deletions allowed) that a contract had. */
      readonly renamed: ReadonlyMap<string, string>;
    }
  | { readonly ok: false; readonly problems: readonly RekeyProblem[] };

interface Kept {
  readonly seq: number;
  readonly originId: string;
  readonly parentOriginId: string | null;
  readonly originData: unknown;
}

interface Planned {
  readonly seq: number;
  readonly oldId: string;
  readonly newId: string;
  /** A sub-object's parent's new origin id. */
  readonly parent: string | null;
}

const KEPT_COLUMNS = {
  seq: contracts.seq,
  originId: contracts.originId,
  parentOriginId: contracts.parentOriginId,
  storedOriginData: contractReadColumns.storedOriginData,
  originCopy: contracts.originCopy,
  originCopyAt: contracts.originCopyAt,
};

async function keptObjects(tx: Tx, where: SQL, limit?: number): Promise<Kept[]> {
  const query = tx.select(KEPT_COLUMNS).from(contracts).where(where).orderBy(asc(contracts.seq));
  return withOriginData(tx, await (limit === undefined ? query : query.limit(limit)));
}

/** A contract's new origin id from its kept object, or why it has none. */
function newIdOf(kept: Kept, idField: string): { ok: true; id: string } | { ok: false; reason: string } {
  if (kept.originData === null || kept.originData === undefined)
    return { ok: false, reason: 'Concord kept no copy of its source object to read the new id from' };
  const id = readOriginId(kept.originData, idField);
  if (id.ok) return id;
  const reason = id.reason.startsWith('it ') ? id.reason.slice(3) : id.reason;
  return { ok: false, reason: `its source object${id.reason.startsWith('it ') ? '' : "'s"} ${reason}` };
}

/**
 * Gives every contract of the synchronisation numbered `syncSeq` the origin id its kept object has under
 * `idField`; on any problem, returns a few and leaves the rest unwritten (the caller rolls back).
 * `syncId`: its conflicts, which name contracts by origin id, move with them. `subIdFields`: the nested
 * objects' paths whose own id field changed, with the new one (the others keep their own id).
 */
export async function rekeyContracts(
  tx: Tx,
  sync: { readonly seq: number; readonly id: string; readonly orgId: string },
  idField: string,
  watch: ReadonlySet<string>,
  subIdFields: ReadonlyMap<string, string> = new Map(),
): Promise<RekeyResult> {
  const renamed = new Map<string, string>();
  let count = 0;
  // Sub-objects first: their parents are still found by their old ids.
  for (const children of [true, false]) {
    let after = 0;
    for (;;) {
      const page = await keptObjects(
        tx,
        and(
          eq(contracts.syncSeq, sync.seq),
          children ? isNotNull(contracts.parentOriginId) : isNull(contracts.parentOriginId),
          gt(contracts.seq, after),
        )!,
        PAGE,
      );
      if (page.length === 0) break;
      after = page[page.length - 1]!.seq;
      const planned = children
        ? await planChildren(tx, sync.seq, page, idField, subIdFields)
        : planParents(page, idField);
      if (!Array.isArray(planned)) return { ok: false, problems: planned.problems };
      const taken = await takenIds(tx, sync.seq, planned);
      if (taken.length > 0) return { ok: false, problems: taken };
      await writePage(tx, sync, planned);
      count += planned.length;
      for (const p of planned) if (watch.has(p.oldId)) renamed.set(p.oldId, p.newId);
    }
  }
  if (count > 0) {
    await tx.run(sql`UPDATE contracts SET origin_id = CAST(origin_id AS TEXT)
      WHERE sync_seq = ${sync.seq} AND typeof(origin_id) = 'blob'`);
    await tx.run(sql`UPDATE conflicts SET origin_id = CAST(origin_id AS TEXT)
      WHERE synchronisation_id = ${sync.id} AND typeof(origin_id) = 'blob'`);
    // Blobs sort after every text: the range keeps to them on run_entries_org_origin.
    await tx.run(sql`UPDATE run_entries SET origin_id = CAST(origin_id AS TEXT)
      WHERE org_id = ${sync.orgId} AND origin_id >= x'' AND typeof(origin_id) = 'blob'`);
  }
  return { ok: true, count, renamed };
}

type Plan = Planned[] | { problems: RekeyProblem[] };

function planParents(page: readonly Kept[], idField: string): Plan {
  const problems: RekeyProblem[] = [];
  const planned: Planned[] = [];
  for (const kept of page) {
    const id = newIdOf(kept, idField);
    if (!id.ok) problems.push({ originId: kept.originId, reason: id.reason });
    else planned.push({ seq: kept.seq, oldId: kept.originId, newId: id.id, parent: null });
  }
  return problems.length > 0 ? { problems: problems.slice(0, EXAMPLES) } : withoutRepeats(planned);
}

/**
 * Sub-objects keep their path; their parent's part becomes its new id, and their own part too where
 * their path's id field changed (read from the child they kept).
 */
async function planChildren(
  tx: Tx,
  syncSeq: number,
  page: readonly Kept[],
  idField: string,
  subIdFields: ReadonlyMap<string, string>,
): Promise<Plan> {
  const parentIds = [...new Set(page.map((kept) => kept.parentOriginId!))];
  const parents = await keptObjects(
    tx,
    and(
      eq(contracts.syncSeq, syncSeq),
      isNull(contracts.parentOriginId),
      inArray(contracts.originId, parentIds),
    )!,
  );
  const newParent = new Map(parents.map((p) => [p.originId, newIdOf(p, idField)]));
  const problems: RekeyProblem[] = [];
  const planned: Planned[] = [];
  for (const kept of page) {
    const oldParent = kept.parentOriginId!;
    const parent = newParent.get(oldParent);
    if (!parent?.ok) {
      problems.push({
        originId: kept.originId,
        reason: parent
          ? `its parent "${oldParent}": ${parent.reason}`
          : `its parent "${oldParent}" has no contract to read the new id from`,
      });
      continue;
    }
    const path = subObjectPath(kept.originId, oldParent, subIdFields.keys());
    const own = path === null ? null : newIdOf(kept, subIdFields.get(path)!);
    if (own && !own.ok) {
      problems.push({ originId: kept.originId, reason: own.reason });
      continue;
    }
    const moved = own?.ok
      ? subObjectOriginId(parent.id, path!, own.id)
      : underNewParent(kept.originId, oldParent, parent.id);
    if (moved === null)
      problems.push({ originId: kept.originId, reason: 'its origin id does not name its parent' });
    else planned.push({ seq: kept.seq, oldId: kept.originId, newId: moved, parent: parent.id });
  }
  return problems.length > 0 ? { problems: problems.slice(0, EXAMPLES) } : withoutRepeats(planned);
}

/** Two contracts of one page given the same new id: refused, naming both. */
function withoutRepeats(planned: Planned[]): Plan {
  const first = new Map<string, string>();
  const problems: RekeyProblem[] = [];
  for (const p of planned) {
    const other = first.get(p.newId);
    if (other !== undefined) problems.push(sameId(p.oldId, other, p.newId));
    else first.set(p.newId, p.oldId);
    if (problems.length >= EXAMPLES) break;
  }
  return problems.length > 0 ? { problems } : planned;
}

const sameId = (originId: string, other: string | null, newId: string): RekeyProblem => ({
  originId,
  reason: `its source object would get the id "${newId}", as ${other === null ? 'another contract' : `"${other}"`} would`,
});

/** New ids of this page that a contract re-keyed on an earlier page already took. */
async function takenIds(tx: Tx, syncSeq: number, planned: readonly Planned[]): Promise<RekeyProblem[]> {
  const rows = await tx.all<{ id: string }>(sql`SELECT CAST(origin_id AS TEXT) AS id FROM contracts
    WHERE sync_seq = ${syncSeq}
      AND origin_id IN (SELECT CAST(value AS BLOB) FROM json_each(${JSON.stringify(planned.map((p) => p.newId))}))`);
  const taken = new Set(rows.map((row) => row.id));
  return planned
    .filter((p) => taken.has(p.newId))
    .slice(0, EXAMPLES)
    .map((p) => sameId(p.oldId, null, p.newId));
}

/** One statement per page for the contracts, one each for the conflicts and log lines that name them. */
async function writePage(
  tx: Tx,
  sync: { seq: number; id: string; orgId: string },
  planned: readonly Planned[],
) {
  const rows = JSON.stringify(planned.map((p) => [p.seq, p.newId, p.parent, p.oldId]));
  await tx.run(sql`UPDATE contracts
    SET origin_id = CAST(j.value ->> 1 AS BLOB), parent_origin_id = coalesce(j.value ->> 2, contracts.parent_origin_id)
    FROM json_each(${rows}) AS j
    WHERE contracts.sync_seq = ${sync.seq} AND contracts.seq = j.value ->> 0`);
  // Conflicts are kept after they are resolved (the losing version): their history follows the contract.
  await tx.run(sql`UPDATE conflicts SET origin_id = CAST(j.value ->> 1 AS BLOB)
    FROM json_each(${rows}) AS j
    WHERE conflicts.synchronisation_id = ${sync.id} AND conflicts.origin_id = j.value ->> 3`);
  // Its runs' log lines link to the contract of their origin id: left under the old ids, a line about
  // one object would link to another's contract once ids swap.
  await tx.run(sql`UPDATE run_entries SET origin_id = CAST(j.value ->> 1 AS BLOB)
    FROM json_each(${rows}) AS j
    WHERE run_entries.org_id = ${sync.orgId} AND run_entries.origin_id = j.value ->> 3
      AND run_entries.run_id IN (SELECT id FROM runs WHERE synchronisation_id = ${sync.id})`);
}
