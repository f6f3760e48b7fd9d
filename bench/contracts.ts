// `npm run bench:contracts`: the contracts page alone, without the sync cases: a fresh database with one
// organisation and synchronisation, topped up to BENCH_CONTRACTS contracts (200,000 unless told), then
// the page's queries timed (bench/contracts-page.ts). Writes bench/contracts-results.json.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', '.work', `contracts-${process.pid}-${Date.now()}`);
process.chdir(root);
process.env.CONCORD_DATA_DIR = path.join(work, 'data');
delete process.env.DATABASE_URL;
delete process.env.DATABASE_AUTH_TOKEN;

const { openDatabase } = await import('@/server/db/client');
const { migrateDatabase } = await import('@/server/db/migrate');
const { setUpSync } = await import('./concord');
const { contractsPage } = await import('./contracts-page');
const { machine, loadAverage } = await import('./report');

mkdirSync(work, { recursive: true });
const file = path.join(work, 'concord.db');
const db = openDatabase(`file:${file}`);
try {
  await migrateDatabase(db);
  // The source is never read: the contracts are made directly.
  const sync = await setUpSync(db.db, 'http://127.0.0.1:9');
  const started = Date.now();
  const page = await contractsPage(db, sync);
  await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    loadAverage: loadAverage(),
    ...page,
    databaseBytesPerContract: Math.round(statSync(file).size / page.contracts),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeFileSync(path.join(root, 'bench', 'contracts-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.table(page.queries);
  console.log(`${page.contracts} contracts, ${results.databaseBytesPerContract} bytes of database each`);
} finally {
  db.client.close();
  if (process.env.BENCH_KEEP !== '1') rmSync(work, { recursive: true, force: true });
}
