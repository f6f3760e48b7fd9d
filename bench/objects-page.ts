// The register's objects page at scale: the schema the pull filled is topped up with synthetic objects
// (as the engine writes them: numbered in the change feed, 1 % soft-deleted), then the page's queries
// (the service behind `registers.objects` and the API's object list) are timed as the contracts page's
// are (bench/contracts-page.ts): each repeated, p95 and median of wall and CPU time.
import { listObjects } from '@/server/services/objects-list';
import type { openDatabase } from '@/server/db/client';
import { schemaSeqOfOrgSql, schemaSeqSql } from '@/server/db/schema';
import type { BenchSync } from './concord';
import { TIMES, timed, type Timing } from './contracts-page';

type Database = ReturnType<typeof openDatabase>;

/** BENCH_REGISTER_OBJECTS=1000000 measures a register of a million objects. */
export const OBJECTS_ON_PAGE = Number(process.env.BENCH_REGISTER_OBJECTS ?? 200_000);
const BATCH = 1000;
const PAGE_SIZE = 50;
// One object in a hundred soft-deleted: hidden from the list unless deleted ones are asked for.
const DELETED_EVERY = 100;

async function countOf(db: Database, s: BenchSync): Promise<number> {
  const { rows } = await db.client.execute({
    sql: `SELECT count(*) AS n FROM objects WHERE schema_seq = ${schemaSeqSql('?')}`,
    args: [s.schemaId],
  });
  return Number(rows[0]?.n ?? 0);
}

/** Adds synthetic objects until the schema holds `total`, numbered in the feed as the engine does. */
async function topUp(db: Database, s: BenchSync, total: number): Promise<number> {
  const existing = await countOf(db, s);
  const now = Date.now();
  for (let from = existing; from < total; from += BATCH) {
    const rows = [];
    for (let k = from; k < Math.min(from + BATCH, total); k++) {
      const data = { id: k, name: `Item ${k}`, email: `item${k}@example.test`, age: k % 90, active: true };
      const deleted = k % DELETED_EVERY === 1 ? now : null;
      rows.push([`obj_synthetic${String(k).padStart(17, '0')}`, JSON.stringify(data), deleted]);
    }
    await db.client.execute({
      sql: `INSERT INTO objects (id, schema_seq, data, hash, version, deleted_at, created_at, updated_at_offset, change_seq, changed_at_offset)
            SELECT value->>0, ${schemaSeqOfOrgSql('?1', '?2')}, value->>1, randomblob(16), 1, value->>2, ?3, 0,
              (SELECT n FROM change_counter WHERE id = 1) + key + 1, 0
            FROM json_each(?4)`,
      args: [s.orgId, s.schemaId, now, JSON.stringify(rows)],
    });
  }
  return total - existing;
}

export async function objectsPage(db: Database, s: BenchSync) {
  const added = await topUp(db, s, OBJECTS_ON_PAGE);
  const list = (extra: object) => listObjects(db.db, s.orgId, s.schemaId, { pageSize: PAGE_SIZE, ...extra });
  // The middle of the list, as a person paging there would reach it.
  const middle = await list({ start: Math.floor(OBJECTS_ON_PAGE / 2 / PAGE_SIZE) * PAGE_SIZE });
  const second = (await list({})).next!;
  const queries: Record<string, Timing> = {
    firstPage: await timed(() => list({})),
    // The counter moved (as by any object's change): the total is counted again.
    firstPageAfterChange: await timed(async () => {
      await db.client.execute('UPDATE change_counter SET n = n + 1 WHERE id = 1');
      return list({});
    }),
    secondPage: await timed(() => list({ cursor: second })),
    middlePage: await timed(() => list({ cursor: middle.next! })),
    lastPage: await timed(() => list({ cursor: middle.last! })),
    includeDeleted: await timed(() => list({ includeDeleted: true })),
    // Plain paging by position, as the API's `start` still allows: a walk past every object before.
    middleByStart: await timed(() =>
      list({ start: Math.floor(OBJECTS_ON_PAGE / 2 / PAGE_SIZE) * PAGE_SIZE }),
    ),
    searchIdPrefix: await timed(() => list({ search: 'obj_synthetic00000000000012345' })),
    searchWide: await timed(() => list({ search: 'item1' })),
    searchRare: await timed(() => list({ search: 'item123456@' })),
    searchNone: await timed(() => list({ search: 'nobody@nowhere' })),
  };
  return { objects: OBJECTS_ON_PAGE, syntheticAdded: added, pageSize: PAGE_SIZE, repeats: TIMES, queries };
}
