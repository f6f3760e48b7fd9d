// A run's entries — the objects it could not write, rejected, deleted or held —, listed a page at a time
// and read whole for a download, in the order the run wrote them (the rowid). A run that failed every
// object of a million-object source has a million of them, so no read sorts them: the list walks the
// table between the run's first and last matching entries (found with the count, in one pass over the
// run's range of the (run, action, reason) index), or — for one error group — that index, already in
// rowid order.
import { and, eq, gt, gte, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { likePattern } from '../db/like';
import { runEntries } from '../db/schema';
import { loadRun, type RunEntryFilter } from './runs';

const ROWID = sql<number>`${runEntries}.rowid`;

/** The text filter: in the object's id or the reason. */
function searched(f: RunEntryFilter): SQL | undefined {
  const search = f.search?.trim();
  if (!search) return undefined;
  const pattern = likePattern(search);
  return or(
    sql`${runEntries.originId} like ${pattern} escape '\\'`,
    sql`${runEntries.reason} like ${pattern} escape '\\'`,
  );
}

// An error group (action and exact reason) is a range of the (run, action, reason) index, whose
// entries follow in rowid order: SQLite walks it. Any other filter is checked on each row (`+`: no
// index serves it) as SQLite walks the table between the first and last matching entries.
const isGroup = (f: RunEntryFilter) => f.action !== undefined && f.reason !== undefined;

function conditions(runId: string, f: RunEntryFilter, { first, last }: Extent): SQL[] {
  if (isGroup(f))
    return [
      eq(runEntries.runId, runId),
      eq(runEntries.action, f.action!),
      eq(runEntries.reason, f.reason!),
      ...(searched(f) ? [searched(f)!] : []),
    ];
  return [
    sql`+${runEntries.runId} = ${runId}`,
    // Both ends: a page the run cannot fill stops at its last entry, not at the table's end.
    gte(ROWID, first),
    lte(ROWID, last),
    ...(f.action ? [sql`+${runEntries.action} = ${f.action}`] : []),
    ...(f.reason !== undefined ? [sql`+${runEntries.reason} = ${f.reason}`] : []),
    ...(searched(f) ? [searched(f)!] : []),
  ];
}

type Extent = { first: number; last: number };

/**
 * Where the matching entries lie in the table (first and last rowid) and how many there are: one pass
 * over the run's range of the index, reading rows only for a text search. The run is the
 * organisation's (loaded through it first), so its entries are found by the run alone.
 */
async function extentOf(db: Db, runId: string, f: RunEntryFilter) {
  const [row] = await db
    .select({
      first: sql<number | null>`min(${ROWID})`,
      last: sql<number | null>`max(${ROWID})`,
      n: sql<number>`count(*)`,
    })
    .from(runEntries)
    .where(
      and(
        eq(runEntries.runId, runId),
        f.action ? eq(runEntries.action, f.action) : undefined,
        f.reason !== undefined ? eq(runEntries.reason, f.reason) : undefined,
        searched(f),
      ),
    );
  const extent = row?.first != null && row.last != null ? { first: row.first, last: row.last } : null;
  return { extent, total: Number(row?.n ?? 0) };
}

/** A page of the run's entries (NOT_FOUND for another organisation's run), with their number. */
export async function listRunEntries(
  db: Db,
  orgId: string,
  runId: string,
  q: { page: number; pageSize: number } & RunEntryFilter,
) {
  await loadRun(db, orgId, runId);
  const { extent, total } = await extentOf(db, runId, q);
  if (!extent) return { rows: [], total };
  const rows = await db
    .select()
    .from(runEntries)
    .where(and(...conditions(runId, q, extent)))
    .orderBy(ROWID)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { rows, total };
}

const BATCH = 1000;

/**
 * Every matching entry of the run, a thousand at a time from where the last batch ended (keyset on
 * the rowid). NOT_FOUND (when first read) for another organisation's run.
 */
export async function* allRunEntries(db: Db, orgId: string, runId: string, f: RunEntryFilter) {
  await loadRun(db, orgId, runId);
  const { extent } = await extentOf(db, runId, f);
  if (!extent) return;
  let after = extent.first - 1;
  for (;;) {
    const rows = await db
      .select({ rowid: ROWID, entry: runEntries })
      .from(runEntries)
      .where(and(...conditions(runId, f, extent), gt(ROWID, after)))
      .orderBy(ROWID)
      .limit(BATCH);
    for (const row of rows) yield row.entry;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.rowid;
  }
}
