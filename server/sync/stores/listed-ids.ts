// The run's ledger of listed origin ids, at a cost per page rather than per object (issue 14): the
// database holds ONE `run_listed` row per page (its ids as a JSON array), and this process keeps, per
// run under way, a compact in-memory index of those ids — 44 bits of hashes and the page, 8 bytes a slot
// (id-index.ts) — to tell which ids of a new page an earlier page already listed (duplicates across pages).
//
// The index only proposes: an id whose hash it knows on another page is confirmed against that page's
// row in the database, so a hash collision never makes an object a duplicate. It catches up with the
// rows whenever they differ from what it holds (another process, a restart: the ledger is durable, the
// index a cache), which the caller tells by the ledger's signature (`LEDGER_SIGNATURE_SQL`), reading
// only the pages it lacks.
import type { InValue, ResultSet } from '@libsql/client';
import { chunk } from './chunks';
import { ANY_PAGE, IdIndex } from './id-index';

type Execute = (statement: string, args: InValue[]) => Promise<ResultSet>;

/** A column of a result row as text (ids and signatures are always text; a count may be a number). */
const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** A run's ledger as counted by `ledgerSignature`: rows and ids (a retried page can add ids to its row). */
export const LEDGER_SIGNATURE_SQL = `SELECT count(*) || ':' || coalesce(sum(n), 0) FROM run_listed WHERE run_id = ?`;

interface RunIndex {
  readonly ids: IdIndex;
  /** Ids per page as held by the index, to compare with the ledger's signature. */
  readonly pages: Map<number, number>;
}

const signatureOf = (index: RunIndex) =>
  `${index.pages.size}:${[...index.pages.values()].reduce((sum, n) => sum + n, 0)}`;

// Runs under way in this process; a few at most (one run per synchronisation at a time), the oldest
// dropped first: a dropped index is rebuilt from the ledger when its run asks again.
const KEPT_RUNS = 8;
// Ledger rows read per statement when catching up: a row holds a page's ids (tens of kilobytes).
const PAGES_PER_READ = 100;
const indexes = new Map<string, RunIndex>();

/** Forgets a run's index (its ledger is deleted when the run ends). */
export function forgetListedIds(runId: string): void {
  indexes.delete(runId);
}

/**
 * How many ids a run of this synchronisation will likely list: its contracts not deleted (the counts
 * triggers keep, a few rows). A re-run's index then grows to that size in one step instead of doubling its
 * way there (each doubling holds the old slots and the new at once: 24 MiB for a moment at a million ids).
 */
async function expectedIds(execute: Execute, runId: string): Promise<number> {
  const result = await execute(
    `SELECT coalesce(sum(n), 0) FROM contract_counts WHERE status <> 'deleted'
      AND synchronisation_id = (SELECT synchronisation_id FROM runs WHERE id = ?)`,
    [runId],
  );
  return Number(result.rows[0]?.[0] ?? 0);
}

async function indexFor(execute: Execute, runId: string, signature: string | null): Promise<RunIndex> {
  const held = indexes.get(runId);
  const current = signature ?? text((await execute(LEDGER_SIGNATURE_SQL, [runId])).rows[0]?.[0] ?? '0:0');
  if (held && signatureOf(held) === current) return held;
  // Behind the ledger: pages another process recorded (scaled mode: a run's steps may each land on
  // another worker), or one it recorded again with more ids. Only those rows are read — rebuilding from
  // the whole ledger took 1.4 s at 1M ids, for each step that found its process behind. A ledger that
  // lost a page or ids (never, while its run is under way) is read whole.
  const counts = await execute(`SELECT page, n FROM run_listed WHERE run_id = ?`, [runId]);
  const ledger = new Map(counts.rows.map((row) => [Number(row[0]), Number(row[1])]));
  const shrunk = held && [...held.pages].some(([page, n]) => (ledger.get(page) ?? -1) < n);
  const base = held && !shrunk ? held : null;
  const stale = [...ledger].filter(([page, n]) => base?.pages.get(page) !== n).map(([page]) => page);
  const rows: { page: number; n: number; ids: string[] }[] = [];
  for (const pages of chunk(stale, PAGES_PER_READ)) {
    const read = await execute(
      `SELECT page, n, ids FROM run_listed WHERE run_id = ? AND page IN (SELECT value FROM json_each(?))`,
      [runId, JSON.stringify(pages)],
    );
    for (const row of read.rows)
      rows.push({ page: Number(row[0]), n: Number(row[1]), ids: JSON.parse(text(row[2])) as string[] });
  }
  // Applied in one synchronous stretch, after the last read: whoever else holds this index (deletion
  // planning asks it whether an id was listed) never sees it half caught up.
  const index: RunIndex = base ?? { ids: new IdIndex(await expectedIds(execute, runId)), pages: new Map() };
  for (const { page, n, ids } of rows) {
    for (const id of ids) index.ids.add(id, page);
    index.pages.set(page, n);
  }
  indexes.delete(runId);
  indexes.set(runId, index);
  while (indexes.size > KEPT_RUNS) indexes.delete(indexes.keys().next().value!);
  return index;
}

/**
 * Which of `ids` this run listed on a page other than `page`. `signature`: the ledger's, read by the
 * caller in a statement it runs anyway (null: read here).
 */
export async function listedElsewhere(
  execute: Execute,
  runId: string,
  page: number,
  ids: readonly string[],
  signature: string | null,
): Promise<string[]> {
  const index = await indexFor(execute, runId, signature);
  const candidates: string[] = [];
  const pages = new Set<number>();
  let anyPage = false;
  for (const id of ids) {
    const others = index.ids.otherPages(id, page);
    if (others === null) continue;
    candidates.push(id);
    for (const p of others) {
      if (p === ANY_PAGE) anyPage = true;
      else pages.add(p);
    }
  }
  if (candidates.length === 0) return [];
  // Exact: only ids the other pages' rows really hold — every other page's, where the index cannot tell
  // which (pages past its range).
  const confirmed = await execute(
    `SELECT DISTINCT j.value FROM run_listed r, json_each(r.ids) j WHERE r.run_id = ?1
      AND ${anyPage ? 'r.page <> ?4' : 'r.page IN (SELECT value FROM json_each(?2))'}
      AND j.value IN (SELECT value FROM json_each(?3))`,
    [runId, JSON.stringify([...pages]), JSON.stringify(candidates), ...(anyPage ? [page] : [])],
  );
  return confirmed.rows.map((row) => text(row[0]));
}

/**
 * A test of whether the run listed an id, for deletion planning: never "no" for an id it listed (the
 * index is brought up to date with the ledger first); a "yes" for one it did not list takes two equal
 * 32-bit hashes — and only spares that object from deletion this run, the safe side. It replaces a
 * statement that read the whole ledger into a temporary index each time: at 1M objects, about a second
 * for the count and again for every batch of deletions (issue 14).
 */
export async function listedTest(execute: Execute, runId: string): Promise<(id: string) => boolean> {
  const index = await indexFor(execute, runId, null);
  return (id) => index.ids.has(id);
}

/**
 * Records that page `page` of the run listed these ids — those no other page listed before: an id keeps
 * the first page that listed it. A page recorded again (a retried step) keeps the ids it had as well.
 * `fresh`: the caller has just asked `listedElsewhere` about these very ids, all different, and no other
 * page had listed any (a page found clean against its memo): not asked again.
 */
export async function recordListed(
  execute: Execute,
  runId: string,
  page: number,
  ids: readonly string[],
  known: { fresh: boolean } = { fresh: false },
): Promise<void> {
  const fresh = known.fresh ? ids : await notListedElsewhere(execute, runId, page, ids);
  if (fresh.length === 0) return;
  const union = `SELECT value FROM json_each(run_listed.ids) UNION SELECT value FROM json_each(excluded.ids)`;
  const result = await execute(
    `INSERT INTO run_listed (run_id, page, n, ids) VALUES (?, ?, ?, ?)
      ON CONFLICT (run_id, page) DO UPDATE SET
        ids = (SELECT json_group_array(value) FROM (${union})), n = (SELECT count(*) FROM (${union}))
      RETURNING n`,
    [runId, page, fresh.length, JSON.stringify(fresh)],
  );
  // The index was brought up to date by listedElsewhere above; it follows the row it just wrote.
  const index = indexes.get(runId);
  if (!index) return;
  for (const id of fresh) index.ids.add(id, page);
  index.pages.set(page, Number(result.rows[0]?.[0] ?? fresh.length));
}

async function notListedElsewhere(
  execute: Execute,
  runId: string,
  page: number,
  ids: readonly string[],
): Promise<readonly string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const elsewhere = new Set(await listedElsewhere(execute, runId, page, unique, null));
  return elsewhere.size === 0 ? unique : unique.filter((id) => !elsewhere.has(id));
}
