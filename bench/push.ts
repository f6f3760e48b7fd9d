// The push case: the register schema the first suite filled (OBJECTS objects) synchronised into a fresh
// PostgreSQL table through an SQL target — set up through the API, the table made by the service behind
// `sources.createSqlTable` — initial and unchanged re-run, each against a floor measured in the same
// run: the same register rows read page by page and written with a plain multi-row upsert (500 rows a
// statement, one transaction a page) into a table of the same shape. Rows written are counted from the
// database (rows whose xmin is newer than the case's start). Needs PostgreSQL on 127.0.0.1:5432 (trust,
// database `test`); without it the case is reported as not run, and the rest of the bench stands.
// BENCH_PUSH=0 leaves it out.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from '@/server/db/client';
import { objects, objectsOfOrg, ofSchema, schemas } from '@/server/db/schema';
import { createCaller } from '@/server/trpc/root';
import { loadRun, requestRun } from '@/server/services/runs';
import { executeEmbedded } from '@/server/runner/embedded';
import { createSqlTable } from '@/server/services/sql-targets';
import { registerObject } from '@/server/sync/sources/register';
import type { BenchSync } from './concord';
import { OBJECTS, PAGE_SIZE } from './config';
import { measure, round } from './memory';
import { profiled } from './profile';
import { watchSqliteTime } from './sqlite-time';

const sqlite = watchSqliteTime();
import { perSecond } from './report';

const log = (message: string) => console.log(`[bench] ${message}`);
const COLUMNS = ['id', 'name', 'email', 'age', 'active', 'city', 'postcode'];
const ROWS_PER_STATEMENT = 500;

export interface PushCase {
  name: string;
  objects: number;
  seconds: number;
  objectsPerSecond: number;
  cpuSeconds: number;
  floor: string;
  floorSeconds: number;
  floorObjectsPerSecond: number;
  ratio: number;
  run: { result: string | null; created: number; updated: number; skipped: number; failed: number };
  /** Rows the database wrote during the case (inserted or updated). */
  rowsWritten: number;
  target: { description: string; met: boolean };
}

export type PushResult = { skipped: string } | { table: string; server: string; cases: PushCase[] };

async function connect(): Promise<{ client: pg.Client; user: string }> {
  const failures: string[] = [];
  for (const user of ['postgres', 'root']) {
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user });
    try {
      await client.connect();
      return { client, user };
    } catch (error) {
      failures.push(`${user}: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(failures.join('; '));
}

/** The register's live objects of the schema, a page at a time, as the register source reads them. */
async function* registerPages(db: Db, s: BenchSync) {
  let after = '';
  for (;;) {
    const rows = await db
      .select({ id: objects.id, data: objects.data })
      .from(objects)
      .where(
        and(objectsOfOrg(s.orgId), ofSchema(s.schemaId), isNull(objects.deletedAt), gt(objects.id, after)),
      )
      .orderBy(asc(objects.id))
      .limit(PAGE_SIZE);
    if (rows.length === 0) return;
    yield rows.map(registerObject);
    after = rows[rows.length - 1]!.id;
  }
}

/** The floor: the same rows, one transaction a page, multi-row INSERT … ON CONFLICT DO UPDATE. */
async function plainUpsert(db: Db, s: BenchSync, client: pg.Client, table: string) {
  let count = 0;
  const set = COLUMNS.slice(1)
    .map((c) => `"${c}" = EXCLUDED."${c}"`)
    .join(', ');
  for await (const page of registerPages(db, s)) {
    await client.query('BEGIN');
    for (let i = 0; i < page.length; i += ROWS_PER_STATEMENT) {
      const rows = page.slice(i, i + ROWS_PER_STATEMENT);
      const values = rows
        .map((_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`)
        .join(', ');
      await client.query(
        `INSERT INTO "${table}" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${values} ON CONFLICT ("id") DO UPDATE SET ${set}`,
        rows.flatMap((o) => COLUMNS.map((c) => o[c] ?? null)),
      );
    }
    await client.query('COMMIT');
    count += page.length;
  }
  return count;
}

/** Rows of `table` written (inserted or updated) by transactions after `xid`. */
async function writtenSince(client: pg.Client, table: string, xid: bigint): Promise<number> {
  const result = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM "${table}" WHERE xmin::text::bigint >= $1`,
    [String(xid % 4294967296n)],
  );
  return Number(result.rows[0]?.n ?? 0);
}

async function currentXid(client: pg.Client): Promise<bigint> {
  const result = await client.query<{ x: string }>('SELECT txid_current() AS x');
  return BigInt(result.rows[0]!.x);
}

export async function runPushSuite(db: Db, s: BenchSync): Promise<PushResult> {
  if (process.env.BENCH_PUSH === '0') return { skipped: 'BENCH_PUSH=0' };
  let connection: Awaited<ReturnType<typeof connect>>;
  try {
    connection = await connect();
  } catch (error) {
    log(
      `push: PostgreSQL on 127.0.0.1:5432 is not available, the push case is not run (${(error as Error).message})`,
    );
    return { skipped: `PostgreSQL not available: ${(error as Error).message}` };
  }
  const { client, user } = connection;
  const suffix = randomBytes(4).toString('hex');
  const table = `concord_bench_push_${suffix}`;
  const floorTable = `concord_bench_floor_${suffix}`;
  try {
    const version =
      (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
    const [schema] = await db.select().from(schemas).where(eq(schemas.id, s.schemaId));
    if (!schema) throw new Error('bench: the register schema is missing');
    const api = createCaller({ db, user: { id: s.userId, email: 'bench@example.test', name: 'Bench' } });
    const orgId = s.orgId;
    const from = await api.sources.create({
      orgId,
      name: 'Items in the register',
      type: 'register',
      config: { registerId: schema.registerId, schemaId: schema.id },
    });
    const to = await api.sources.create({
      orgId,
      name: 'Warehouse',
      type: 'sql',
      config: {
        dialect: 'postgres',
        host: '127.0.0.1',
        port: 5432,
        database: 'test',
        user,
        timeoutMs: 600_000,
      },
    });
    // The service behind `sources.createSqlTable`, allowed to reach 127.0.0.1 as the runs are.
    const made = await createSqlTable(
      db,
      orgId,
      { sourceId: to.id, schemaId: schema.id, table, keyColumns: ['id'] },
      { urlPolicy: { allowPrivateNetworks: true } },
    );
    await client.query(made.statement.replace(`"${table}"`, `"${floorTable}"`));
    const sync = await api.synchronisations.create({
      orgId,
      name: 'Items into PostgreSQL',
      sourceId: from.id,
      targetType: 'source',
      targetSourceId: to.id,
      targetConfig: { table, keyColumns: ['id'] },
      deleteMode: 'none',
    });
    const run = async () => {
      const { run: queued } = await requestRun(db, orgId, sync.id, { trigger: 'manual' });
      await executeEmbedded(db, queued.id, { urlPolicy: { allowPrivateNetworks: true } });
      return loadRun(db, orgId, queued.id);
    };

    const pushCase = async (
      name: string,
      floorName: string,
      floorFn: () => Promise<number>,
      judge: (c: Omit<PushCase, 'target'>) => PushCase['target'],
    ) => {
      const floor = await measure(floorFn);
      const xid = await currentXid(client);
      sqlite.take();
      const m = await measure(() => profiled(process.cwd(), `push ${name}`, run));
      const inSqlite = sqlite.take();
      log(
        `${name}: SQLite ${round(inSqlite.seconds, 2)} s: ${inSqlite.statements.map(([l, t]) => `${round(t, 2)} s ${l}`).join('; ')}`,
      );
      const r = m.value;
      const result: Omit<PushCase, 'target'> = {
        name,
        objects: r.found,
        seconds: round(m.seconds, 3),
        objectsPerSecond: perSecond(r.found, m.seconds),
        cpuSeconds: m.cpuSeconds,
        floor: floorName,
        floorSeconds: round(floor.seconds, 3),
        floorObjectsPerSecond: perSecond(floor.value, floor.seconds),
        ratio: round(m.seconds / floor.seconds, 3),
        run: {
          result: r.result,
          created: r.created,
          updated: r.updated,
          skipped: r.skipped,
          failed: r.failed,
        },
        rowsWritten: await writtenSince(client, table, xid),
      };
      const done = { ...result, target: judge(result) };
      log(
        `${name}: ${r.found} objects in ${done.seconds} s (${done.objectsPerSecond}/s), ${done.ratio}× ${floorName} ` +
          `(${done.floorObjectsPerSecond}/s); run ${r.result}, created ${r.created}, updated ${r.updated}, ` +
          `skipped ${r.skipped}, failed ${r.failed}; ${done.rowsWritten} rows written in PostgreSQL`,
      );
      return done;
    };

    // The floor's first pass inserts every row; its second pass updates every row in place, which is
    // what a plain upsert does when nothing changed.
    const initial = await pushCase(
      'push initial',
      'plain upsert (insert)',
      () => plainUpsert(db, s, client, floorTable),
      (c) => ({
        description: `all ${OBJECTS} rows created`,
        met: c.run.created === OBJECTS && c.rowsWritten === OBJECTS,
      }),
    );
    const unchanged = await pushCase(
      'push unchanged re-run',
      'plain upsert (update)',
      () => plainUpsert(db, s, client, floorTable),
      (c) => ({
        description: 'zero rows written',
        met: c.run.created + c.run.updated === 0 && c.rowsWritten === 0,
      }),
    );
    return { table, server: `PostgreSQL ${version}`, cases: [initial, unchanged] };
  } catch (error) {
    // The pull cases before it stand; this one is reported as failed.
    log(`push: the case failed: ${(error as Error).stack ?? String(error)}`);
    return { skipped: `the push case failed: ${(error as Error).message}` };
  } finally {
    await client.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => undefined);
    await client.query(`DROP TABLE IF EXISTS "${floorTable}"`).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** The push cases as a table on stdout. */
export function printPush(result: PushResult): void {
  if ('skipped' in result) {
    console.log(`\nPush to PostgreSQL: not run (${result.skipped})`);
    return;
  }
  console.log(`\nPush to PostgreSQL (${result.server})`);
  console.table(
    result.cases.map((c) => ({
      case: c.name,
      'objects/s': c.objectsPerSecond,
      floor: `${c.floor} (${c.floorObjectsPerSecond}/s)`,
      ratio: `${c.ratio}×`,
      'rows written': c.rowsWritten,
      target: `${c.target.description}: ${c.target.met ? 'met' : 'not met'}`,
    })),
  );
}
