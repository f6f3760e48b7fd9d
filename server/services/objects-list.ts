// A schema's objects as the register page and the API list them: newest change first, the order of the
// change feed's index (objects_feed: schema, change number — each object at its latest change, ending
// in the rowid). Keyset paging (an opaque cursor: next and previous, first and last): a page costs the
// same at the millionth object as at the first, because it walks that index from where the cursor
// points; with OFFSET and a sort on the update time, a page of a 200,000-object schema took 220–330 ms.
// Totals are counted once per state of the register (the change counter moves with every object's
// change) and kept; a search's are counted up to SEARCH_COUNTED and said as "more than" beyond.
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { countUpTo } from '../db/count-up-to';
import { likePattern } from '../db/like';
import { changeCounter, objects, objectsOfOrg, schemas } from '../db/schema';
import { notOurPageLink } from './errors';
import { lastPageSize } from './last-page';
import { flattenAuthored, loadSchema, withAuthors } from './registers';

export interface ObjectListQuery {
  /** An object id's start (`obj_…`, the id index serves it), else text anywhere in the object's JSON. */
  search?: string;
  pageSize: number;
  includeDeleted?: boolean;
  /** A page's `next`, `previous` or `last`; without it, the first page (or the one at `start`). */
  cursor?: string;
  /** Plain paging by position (the API's `start`): walks every object before it, so slower far in. */
  start?: number;
  /** A search's matches counted all, not up to SEARCH_COUNTED (plain paging ends where the total says). */
  countAll?: boolean;
}

/** A search's matches are counted up to this many; beyond, the total says "more than". */
export const SEARCH_COUNTED = 10_000;
// Id-prefix matches up to this many are fetched through the id index and sorted; more are frequent
// enough to be found quickly by walking the list's order and checking each row.
const SORT_ID_MATCHES_UP_TO = 2_000;
// Above every character: `id < prefix + TOP` holds for each id that starts with the prefix.
const TOP = '\u{10FFFF}';
const ID_SEARCH = /^obj_/;

/**
 * A position in a schema's list: after or before an object (its change number and rowid), or the end.
 * The cursor names its schema, so another schema's is refused rather than read as a place in this one.
 */
type Position = { dir: 'after' | 'before'; c: number; r: number } | { dir: 'end' };
type Key = { c: number; r: number };

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(cursor: string, schemaId: string): Position {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
    if (v.s !== schemaId) throw notOurPageLink();
    if (v.d === 'e') return { dir: 'end' };
    if ((v.d === 'a' || v.d === 'b') && Number.isSafeInteger(v.c) && Number.isSafeInteger(v.r))
      return { dir: v.d === 'a' ? 'after' : 'before', c: v.c as number, r: v.r as number };
  } catch {
    // fall through
  }
  throw notOurPageLink();
}

const lastCursor = (schemaId: string) => encode({ d: 'e', s: schemaId });
const cursorOf = (schemaId: string, d: 'a' | 'b', k: Key) => encode({ d, s: schemaId, c: k.c, r: k.r });

const ROWID = sql<number>`${objects}.rowid`;
// Both columns of the feed index after the schema, so a bound is a range of it (SQLite compares row
// values against an index's columns in order).
const KEY = sql`(${objects.changeSeq}, ${ROWID})`;
const boundOf = (dir: 'after' | 'before', k: Key) =>
  dir === 'after' ? sql`${KEY} < (${k.c}, ${k.r})` : sql`${KEY} > (${k.c}, ${k.r})`;

type Found = Key & { id: string };

const KEY_COLUMNS = { c: objects.changeSeq, r: ROWID, id: objects.id };
const foundOf = (row: { c: number | null; r: number; id: string }): Found => ({
  c: row.c ?? 0,
  r: row.r,
  id: row.id,
});

// A page's keys come first, from the objects alone (the feed index, and the row for the deleted mark
// and a search), then the rows with their authors for those ids: the joins never steer the walk.
async function keysOf(db: Db, where: SQL | undefined, order: 'asc' | 'desc', limit: number, offset = 0) {
  const by = order === 'asc' ? asc : desc;
  const rows = await db
    .select(KEY_COLUMNS)
    .from(objects)
    .where(where)
    .orderBy(by(objects.changeSeq), by(ROWID))
    .limit(limit)
    .offset(offset);
  return rows.map(foundOf);
}

const newestFirst = (a: Key, b: Key) => b.c - a.c || b.r - a.r;

/** Which objects a search matches, and whether SQLite should walk the list's order to find them. */
function matcherOf(search: string): { where: SQL; walked: SQL } {
  if (ID_SEARCH.test(search))
    return {
      where: and(gte(objects.id, search), lt(objects.id, search + TOP))!,
      // `+id` cannot be served by the id index: SQLite walks the feed's and checks each row.
      walked: sql`+${objects.id} >= ${search} AND +${objects.id} < ${search + TOP}`,
    };
  // LIKE's own wildcards in the text are meant literally. SQLite's LIKE ignores the case of ASCII
  // letters, as far as its lower() folds (without ICU, no further): lower(data) only copied each object
  // (a search over a million took 330–440 ms with it, 280–340 without). The text is the object's JSON:
  // a quote in the search matches JSON's own quotes.
  const where = sql`${objects.data} LIKE ${likePattern(search)} ESCAPE '\\'`;
  return { where, walked: where };
}

// Totals kept per list (schema, deleted ones or not, search) for the change counter's value they were
// counted at: any object's insert, change, deletion or move moves the counter (the feed's triggers), so
// an equal counter means an equal count. A few hundred lists; the oldest counted forgotten first.
const TOTALS_KEPT = 500;
type Counted = { counter: number; total: number; exact: boolean };
const totals = new Map<string, Counted>();

function keepTotal(key: string, value: Counted) {
  totals.delete(key);
  totals.set(key, value);
  if (totals.size > TOTALS_KEPT) totals.delete(totals.keys().next().value!);
}

async function countOf(db: Db, scope: SQL[], matches: SQL | null, all = false) {
  if (!matches || all) {
    const [row] = await db
      .select({ n: sql<number>`count(*)` })
      .from(objects)
      .where(and(...scope, ...(matches ? [matches] : [])));
    return { total: Number(row?.n ?? 0), exact: true };
  }
  const n = await countUpTo(db, objects, and(...scope, matches), SEARCH_COUNTED + 1);
  return n > SEARCH_COUNTED ? { total: SEARCH_COUNTED, exact: false } : { total: n, exact: true };
}

/**
 * A page of a schema's objects, newest change first, each with who created and last changed it; the
 * total (`totalExact` false: more than `total` match) and the cursors of the pages around it.
 */
export async function listObjects(db: Db, orgId: string, schemaId: string, q: ObjectListQuery) {
  const schema = await loadSchema(db, orgId, schemaId);
  const search = q.search?.trim() || undefined;
  // The schema found among the organisation's (loadSchema), and every row gated by it again.
  const scope: SQL[] = [objectsOfOrg(orgId), eq(objects.schemaSeq, schema.seq!)];
  // The same gate with `+`, which no index can serve: SQLite then finds the rows by their ids (the id
  // prefix's range, a page's ids) instead of walking the schema's index and checking each id.
  const byIds: SQL[] = [
    sql`+${objects.schemaSeq} IN (SELECT ${schemas.seq} FROM ${schemas} WHERE ${schemas.orgId} = ${orgId})`,
    sql`+${objects.schemaSeq} = ${schema.seq!}`,
  ];
  if (!q.includeDeleted) {
    scope.push(isNull(objects.deletedAt));
    byIds.push(sql`+${objects.deletedAt} IS NULL`);
  }
  const matcher = search ? matcherOf(search) : null;
  const want = q.pageSize + 1;
  // The register's state before anything is read: a total counted from what follows is kept under it,
  // so a write meanwhile leaves it under a counter already passed (counted again next time), never a
  // total older than the counter it is kept under.
  const [counter] = await db
    .select({ n: changeCounter.n })
    .from(changeCounter)
    .where(eq(changeCounter.id, 1));
  const counterNow = Number(counter?.n ?? 0);

  // An id prefix with few matches: those, through the id index, in the list's order.
  let fewIds: Found[] | null = null;
  if (matcher && ID_SEARCH.test(search!)) {
    const matches = and(...byIds, matcher.where);
    if ((await countUpTo(db, objects, matches, SORT_ID_MATCHES_UP_TO + 1)) <= SORT_ID_MATCHES_UP_TO) {
      const rows = await db.select(KEY_COLUMNS).from(objects).where(matches);
      fewIds = rows.map(foundOf).sort(newestFirst);
    }
  }

  /** Up to `want` keys from a position (exclusive) in the direction asked, nearest first. */
  const walk = async (dir: 'after' | 'before', from: Key | null): Promise<Found[]> => {
    if (fewIds) {
      const inOrder = dir === 'after' ? fewIds : [...fewIds].reverse();
      const beyond = from
        ? inOrder.filter((k) => (dir === 'after' ? newestFirst(k, from) > 0 : newestFirst(from, k) > 0))
        : inOrder;
      return beyond.slice(0, want);
    }
    const where = [...scope, ...(matcher ? [matcher.walked] : []), ...(from ? [boundOf(dir, from)] : [])];
    return keysOf(db, and(...where), dir === 'after' ? 'desc' : 'asc', want);
  };

  const totalKey = `${schemaId}\u0000${q.includeDeleted ? 1 : 0}\u0000${search ?? ''}`;
  /** The total for the register's state now: the one kept for it, else counted. */
  const totalNow = async (): Promise<Counted> => {
    if (fewIds) return { counter: counterNow, total: fewIds.length, exact: true };
    const kept = totals.get(totalKey);
    if (kept?.counter === counterNow && (kept.exact || !q.countAll)) return kept;
    // An id prefix's matches through the id index; text is found by reading each object anyway.
    const where = matcher && ID_SEARCH.test(search!) ? byIds : scope;
    return { counter: counterNow, ...(await countOf(db, where, matcher?.where ?? null, q.countAll)) };
  };

  let position: Position | null = q.cursor ? decode(q.cursor, schemaId) : null;
  // The last page is as long as the forward walk's (lastPageSize), so its total comes first.
  let counted: Counted | null = position?.dir === 'end' ? await totalNow() : null;
  let start = position ? null : (q.start ?? 0);
  let page: Found[];
  let next: string | null = null;
  let previous: string | null = null;
  let reachedEnd = false;
  if (position && position.dir !== 'after') {
    const found = await walk('before', position.dir === 'end' ? null : position);
    if (found.length <= q.pageSize) {
      // Back at the start: the first page, full.
      position = null;
      start = 0;
      const first = await walk('after', null);
      page = first.slice(0, q.pageSize);
      reachedEnd = first.length <= q.pageSize;
      if (!reachedEnd) next = cursorOf(schemaId, 'a', page.at(-1)!);
    } else {
      const size = position.dir === 'end' && counted ? lastPageSize(counted, q.pageSize) : q.pageSize;
      page = found.slice(0, size).reverse();
      previous = cursorOf(schemaId, 'b', page[0]!);
      if (position.dir === 'before') next = cursorOf(schemaId, 'a', page.at(-1)!);
    }
  } else if (start) {
    // Plain paging: the keys at this position of the walk (fewIds in memory, else OFFSET).
    const found = fewIds
      ? fewIds.slice(start, start + want)
      : await keysOf(db, and(...scope, ...(matcher ? [matcher.walked] : [])), 'desc', want, start);
    page = found.slice(0, q.pageSize);
    if (found.length > q.pageSize) next = cursorOf(schemaId, 'a', page.at(-1)!);
    if (page[0]) previous = cursorOf(schemaId, 'b', page[0]);
  } else {
    const found = await walk('after', position);
    page = found.slice(0, q.pageSize);
    reachedEnd = !position && found.length <= q.pageSize;
    if (found.length > q.pageSize) next = cursorOf(schemaId, 'a', page.at(-1)!);
    if (position) previous = page[0] ? cursorOf(schemaId, 'b', page[0]) : cursorOf(schemaId, 'b', position);
  }

  // The total: a first page that holds every match has counted them; else counted once for the
  // register's state (the change counter) and kept.
  if (!counted) {
    if (reachedEnd && start === 0) counted = { counter: counterNow, total: page.length, exact: true };
    else counted = await totalNow();
  }
  keepTotal(totalKey, counted);

  const byId = new Map<string, ReturnType<typeof flattenAuthored>>();
  if (page.length > 0) {
    const rows = await withAuthors(db, orgId).where(
      and(
        byIds[1],
        inArray(
          objects.id,
          page.map((k) => k.id),
        ),
      ),
    );
    for (const row of rows) byId.set(row.object.id, flattenAuthored(row));
  }
  return {
    // An object deleted between the two queries is left out rather than shown empty.
    rows: page.flatMap((k) => byId.get(k.id) ?? []),
    total: counted.total,
    totalExact: counted.exact,
    pageSize: q.pageSize,
    /** Where the page starts, counted from the first object: known for plain paging and the first page. */
    start,
    next,
    previous,
    last: next ? lastCursor(schemaId) : null,
  };
}
