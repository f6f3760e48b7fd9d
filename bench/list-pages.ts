// `npm run bench:contracts` / `bench:objects` / `bench:run-log`: one list's page alone, without the sync
// cases: a fresh database with one organisation, synchronisation and register schema, topped up to
// BENCH_CONTRACTS contracts (bench/contracts-page.ts), BENCH_REGISTER_OBJECTS register objects
// (bench/objects-page.ts) or BENCH_RUN_ENTRIES entries of one run (bench/run-log-page.ts), 200,000
// unless told, then the page's queries timed. Writes bench/<list>-results.json.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const which = process.argv[2];
if (which !== 'contracts' && which !== 'objects' && which !== 'run-log')
  throw new Error('bench/list-pages.ts: say which list: contracts, objects or run-log');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', '.work', `${which}-${process.pid}-${Date.now()}`);
process.chdir(root);
process.env.CONCORD_DATA_DIR = path.join(work, 'data');
delete process.env.DATABASE_URL;
delete process.env.DATABASE_AUTH_TOKEN;

const { openDatabase } = await import('@/server/db/client');
const { migrateDatabase } = await import('@/server/db/migrate');
const { setUpSync } = await import('./concord');
const { contractsPage } = await import('./contracts-page');
const { objectsPage } = await import('./objects-page');
const { runLogPage } = await import('./run-log-page');
const { machine, loadAverage } = await import('./report');

mkdirSync(work, { recursive: true });
const file = path.join(work, 'concord.db');
const db = openDatabase(`file:${file}`);
try {
  await migrateDatabase(db);
  // The source is never read: the contracts or objects are made directly.
  const sync = await setUpSync(db.db, 'http://127.0.0.1:9');
  const started = Date.now();
  const page =
    which === 'contracts'
      ? await contractsPage(db, sync).then((p) => ({ ...p, rows: p.contracts }))
      : which === 'objects'
        ? await objectsPage(db, sync).then((p) => ({ ...p, rows: p.objects }))
        : await runLogPage(db, sync).then((p) => ({ ...p, rows: p.entries }));
  await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  const bytes = Math.round(statSync(file).size / page.rows);
  const { rows: _rows, ...measured } = page;
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    loadAverage: loadAverage(),
    ...measured,
    [`databaseBytesPer${{ contracts: 'Contract', objects: 'Object', 'run-log': 'Entry' }[which]}`]: bytes,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeFileSync(path.join(root, 'bench', `${which}-results.json`), `${JSON.stringify(results, null, 2)}\n`);
  console.table(page.queries);
  console.log(
    `${page.rows} ${which === 'run-log' ? 'entries of one run' : which}, ${bytes} bytes of database each`,
  );
} finally {
  db.client.close();
  if (process.env.BENCH_KEEP !== '1') rmSync(work, { recursive: true, force: true });
}
