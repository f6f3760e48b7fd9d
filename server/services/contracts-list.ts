// The contracts list: one synchronisation's contracts in the order Concord first recorded them (a
// search's in origin id order), or the organisation's in synchronisation order (ids are time-ordered:
// the oldest first) and each one's so, with the status, last action and id prefix filters. Keyset paging (an opaque cursor, next and
// previous, first and last): a page costs the same at the millionth contract as at the first, because
// it walks an index in the list's order from where the cursor points. Totals are sums of `contract_counts`, which
// triggers keep exact; a search's total is counted up to SEARCH_COUNTED and said as "more than" beyond.
import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { countUpTo } from '../db/count-up-to';
import {
  contractCounts,
  contractIdSql,
  contracts,
  contractStateColumns,
  contractsOfOrg,
  synchronisations,
} from '../db/schema';
import type { ContractAction, ContractStatus } from '../sync/core/contracts';
import { notOurPageLink } from './errors';
import { lastPageSize } from './last-page';
import { loadSynchronisation } from './synchronisations';

export interface ContractListQuery {
  /** One synchronisation's contracts; without it, the organisation's across its synchronisations. */
  syncId?: string;
  status?: ContractStatus;
  lastAction?: ContractAction;
  /** Matches the start of the origin id or the target id (case-sensitive, so an index serves it). */
  search?: string;
  pageSize: number;
  /** A page's `next`, `previous` or `last`; without it, the first page. */
  cursor?: string;
}

/** A search's matches are counted up to this many; beyond, the total says "more than". */
export const SEARCH_COUNTED = 10_000;
// Target-id prefix matches up to this many are fetched through the target-id index and sorted; more
// are found by walking the list's order (they are then frequent enough to find a page quickly).
const SORT_TARGET_MATCHES_UP_TO = 2_000;
// Above every character: `id < prefix + TOP` holds for each id that starts with the prefix.
const TOP = '\u{10FFFF}';

/**
 * Where a page starts: after a contract, before one, or at the very end (the last page). `k` is the
 * contract's key in the list's order: its rowid, or its origin id in a search's list.
 */
type Position = { dir: 'after' | 'before'; s: string; k: number | string } | { dir: 'end' };

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(cursor: string, searching: boolean): Position {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
    if (v.d === 'e') return { dir: 'end' };
    // A search's cursor holds an origin id, any other a rowid: a link of one list is refused by another.
    const fits = searching ? typeof v.o === 'string' : Number.isSafeInteger(v.r);
    if ((v.d === 'a' || v.d === 'b') && typeof v.s === 'string' && fits)
      return { dir: v.d === 'a' ? 'after' : 'before', s: v.s, k: (searching ? v.o : v.r) as string | number };
  } catch {
    // fall through
  }
  throw notOurPageLink();
}

/** The cursor of the last page, the same for every list. */
export const LAST_PAGE_CURSOR = encode({ d: 'e' });
const cursorOf = (d: 'a' | 'b', s: string, k: number | string) =>
  encode(typeof k === 'string' ? { d, s, o: k } : { d, s, r: k });

// A list row leaves out the stored source object: the tables never show it, and it is most of a row.
// The rowid is the list's key: the order Concord first recorded each contract, which every index of
// contracts ends in (a contract's id is made of it, contractIdSql).
const { originData: _originData, ...CONTRACT_COLUMNS } = contractStateColumns;
const ROWID = sql<number>`${contracts}.rowid`;
const LIST_COLUMNS = { ...CONTRACT_COLUMNS, id: contractIdSql, rowid: ROWID };
type Row = Awaited<ReturnType<typeof selectRows>>[number];
type ListRow = Row & { synchronisationId: string };

interface Filters {
  status?: ContractStatus;
  lastAction?: ContractAction;
  search?: string;
}

function selectRows(
  db: Db,
  where: SQL | undefined,
  key: SQL | Searched,
  order: 'asc' | 'desc',
  limit: number,
) {
  return db
    .select(LIST_COLUMNS)
    .from(contracts)
    .where(where)
    .orderBy(order === 'asc' ? asc(key) : desc(key))
    .limit(limit);
}

/**
 * The conditions of one synchronisation's contracts under the status and last-action filters: SQLite
 * walks the status or the last-action index, both in the list's order, and checks the other filter on
 * the row. `walked`: both only checked on the row, so that SQLite takes the index of a search's order.
 */
function scopeOf(orgId: string, seq: number, f: Filters, walked = false): SQL[] {
  const scope = [contractsOfOrg(orgId), eq(contracts.syncSeq, seq)];
  if (f.status) scope.push(walked ? sql`+${contracts.status} = ${f.status}` : eq(contracts.status, f.status));
  if (f.lastAction)
    scope.push(
      walked ? sql`+${contracts.lastAction} = ${f.lastAction}` : eq(contracts.lastAction, f.lastAction),
    );
  return scope;
}

type Searched = typeof contracts.originId | typeof contracts.targetId;

const prefixOf = (column: Searched, search: string) => [gte(column, search), lt(column, search + TOP)];

/** Up to `limit` rows of one synchronisation from `from` (exclusive) in the direction asked. */
async function rowsOfSync(
  db: Db,
  orgId: string,
  sync: { id: string; seq: number },
  f: Filters,
  from: number | string | null,
  dir: 'after' | 'before',
  limit: number,
): Promise<Row[]> {
  const order = dir === 'after' ? 'asc' : 'desc';
  const { seq } = sync;
  const search = f.search;
  if (!search) {
    const bound = from === null ? [] : [dir === 'after' ? sql`${ROWID} > ${from}` : sql`${ROWID} < ${from}`];
    // Unfiltered, the synchronisation's contracts in rowid order: the contracts_sync index.
    const scope =
      f.status || f.lastAction ? scopeOf(orgId, seq, f) : [contractsOfOrg(orgId), eq(contracts.syncSeq, seq)];
    return selectRows(db, and(...scope, ...bound), ROWID, order, limit);
  }
  // A search's list goes by origin id: the matches of a prefix are a range of the origin-id index, in
  // that order however many there are (in the order of recording, a prefix's many matches recorded late
  // meant walking every contract before them). Target ids with the prefix are in target-id order: fetched
  // and sorted when few, else walked in origin-id order and checked on each row; the two merged.
  // A search's cursor holds an origin id (decode refuses any other in a search).
  const bound =
    typeof from !== 'string'
      ? []
      : [dir === 'after' ? gt(contracts.originId, from) : lt(contracts.originId, from)];
  const scope = [...scopeOf(orgId, seq, f, true), ...bound];
  const byOrigin = await selectRows(
    db,
    and(...scope, ...prefixOf(contracts.originId, search)),
    contracts.originId,
    order,
    limit,
  );
  const counted = await countUpTo(
    db,
    contracts,
    and(contractsOfOrg(orgId), eq(contracts.syncSeq, seq), ...prefixOf(contracts.targetId, search)),
    SORT_TARGET_MATCHES_UP_TO + 1,
  );
  const few = counted <= SORT_TARGET_MATCHES_UP_TO;
  // `+origin_id` cannot be served by an index: SQLite then takes the target-id range and sorts it.
  const byTarget = few
    ? await selectRows(
        db,
        and(...scope, ...prefixOf(contracts.targetId, search)),
        sql`+${contracts.originId}`,
        order,
        limit,
      )
    : await selectRows(
        db,
        and(
          ...scope,
          sql`+${contracts.targetId} >= ${search}`,
          sql`+${contracts.targetId} < ${search + TOP}`,
        ),
        contracts.originId,
        order,
        limit,
      );
  const merged = new Map<string, Row>();
  for (const row of [...byOrigin, ...byTarget]) merged.set(row.id, row);
  const sign = dir === 'after' ? 1 : -1;
  return [...merged.values()]
    .sort((a, b) => sign * (a.originId < b.originId ? -1 : a.originId > b.originId ? 1 : 0))
    .slice(0, limit);
}

/** Exact counts per synchronisation from `contract_counts` (a few rows each). */
async function countsOf(db: Db, orgId: string, syncIds: string[], f: Filters) {
  const rows = await db
    .select({ syncId: contractCounts.synchronisationId, n: sql<number>`sum(${contractCounts.n})` })
    .from(contractCounts)
    .where(
      and(
        eq(contractCounts.orgId, orgId),
        inArray(contractCounts.synchronisationId, syncIds),
        f.status ? eq(contractCounts.status, f.status) : undefined,
        f.lastAction ? eq(contractCounts.lastAction, f.lastAction) : undefined,
      ),
    )
    .groupBy(contractCounts.synchronisationId);
  return new Map(rows.map((r) => [r.syncId, Number(r.n)]));
}

/** A search's matches in one synchronisation, counted up to SEARCH_COUNTED + 1. */
async function searchCountOf(db: Db, orgId: string, seq: number, f: Filters & { search: string }) {
  const matches = or(
    and(...prefixOf(contracts.originId, f.search)),
    and(...prefixOf(contracts.targetId, f.search)),
  );
  return countUpTo(db, contracts, and(...scopeOf(orgId, seq, f), matches), SEARCH_COUNTED + 1);
}

/**
 * A page of contracts, each row named by its synchronisation, with the total (`totalExact` false: more
 * than `total` match) and the cursors of the pages around it (null where there is none).
 */
export async function listContracts(db: Db, orgId: string, q: ContractListQuery) {
  const f: Filters = { status: q.status, lastAction: q.lastAction, search: q.search?.trim() || undefined };
  const syncs = q.syncId
    ? [await loadSynchronisation(db, orgId, q.syncId)]
    : await db
        .select({ id: synchronisations.id, name: synchronisations.name, seq: synchronisations.seq })
        .from(synchronisations)
        .where(eq(synchronisations.orgId, orgId))
        .orderBy(asc(synchronisations.id));
  const names = new Map(syncs.map((s) => [s.id, s.name]));
  // The number each synchronisation's contracts are indexed by, as a plain value: SQLite uses an index
  // for a subquery's value in a simple condition but not inside the search's OR (it walked them all).
  const seqOf = new Map(syncs.map((s) => [s.id, s.seq ?? -1]));
  const ids = syncs.map((s) => s.id);
  // Synchronisations without a match are passed over without a query.
  const counts = await countsOf(db, orgId, ids, f);
  let total = 0;
  let totalExact = true;
  if (f.search) {
    for (const id of ids) {
      if (!counts.get(id)) continue;
      const n = await searchCountOf(db, orgId, seqOf.get(id)!, { ...f, search: f.search });
      counts.set(id, n);
      total += n;
      if (total > SEARCH_COUNTED) break;
    }
    if (total > SEARCH_COUNTED) [total, totalExact] = [SEARCH_COUNTED, false];
  } else {
    total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  }
  const withMatches = ids.filter((id) => (counts.get(id) ?? 0) > 0);

  let position: Position | null = q.cursor ? decode(q.cursor, f.search !== undefined) : null;
  // One synchronisation's list refuses another's page link: read as its first page again, a client
  // paging on would take it for the next one. (Across the organisation, a link whose synchronisation
  // has since been deleted starts again from the first page.)
  if (position && position.dir !== 'end' && q.syncId && position.s !== q.syncId) throw notOurPageLink();
  if (position && position.dir !== 'end' && !names.has(position.s)) position = null;
  const want = q.pageSize + 1;
  const keyOf = (row: Row) => (f.search ? row.originId : row.rowid);
  const after = (row: ListRow) => cursorOf('a', row.synchronisationId, keyOf(row));
  const before = (row: ListRow) => cursorOf('b', row.synchronisationId, keyOf(row));

  /** Up to `want` rows from a position, walking the synchronisations in the position's direction. */
  const walk = async (dir: 'after' | 'before', start: { s: string; k: number | string } | null) => {
    const order = dir === 'after' ? withMatches : [...withMatches].reverse();
    const from = start ? order.findIndex((id) => (dir === 'after' ? id >= start.s : id <= start.s)) : 0;
    const found: ListRow[] = [];
    for (const id of from < 0 ? [] : order.slice(from)) {
      const key = start && id === start.s ? start.k : null;
      const rows = await rowsOfSync(db, orgId, { id, seq: seqOf.get(id)! }, f, key, dir, want - found.length);
      // A contract names its synchronisation by number; the list's rows and cursors by its id.
      for (const row of rows) found.push({ ...row, synchronisationId: id });
      if (found.length >= want) break;
    }
    return found;
  };

  let rows: ListRow[];
  let next: string | null = null;
  let previous: string | null = null;
  if (position && position.dir !== 'after') {
    const found = await walk('before', position.dir === 'end' ? null : position);
    if (found.length <= q.pageSize) {
      // Back at the start: the first page, full.
      const first = await walk('after', null);
      rows = first.slice(0, q.pageSize);
      if (first.length > q.pageSize) next = after(rows.at(-1)!);
    } else {
      const size =
        position.dir === 'end' ? lastPageSize({ total, exact: totalExact }, q.pageSize) : q.pageSize;
      rows = found.slice(0, size).reverse();
      previous = before(rows[0]!);
      if (position.dir === 'before') next = after(rows.at(-1)!);
    }
  } else {
    const found = await walk('after', position);
    rows = found.slice(0, q.pageSize);
    if (found.length > q.pageSize) next = after(rows.at(-1)!);
    if (position) previous = rows[0] ? before(rows[0]) : cursorOf('b', position.s, position.k);
  }
  return {
    rows: rows.map(({ rowid: _rowid, ...row }) => ({
      ...row,
      synchronisationName: names.get(row.synchronisationId) ?? '',
    })),
    total,
    totalExact,
    pageSize: q.pageSize,
    next,
    previous,
    last: next ? LAST_PAGE_CURSOR : null,
  };
}
