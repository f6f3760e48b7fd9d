// Scaled, every instance migrates the database as it starts, and a deployment starts them together.
// Each found the same migrations missing and applied them; the one whose batch came second failed on
// the first table the other had made ("table `sign_in_throttle` already exists") and refused to start.
// Its batch is rolled back whole, so it now finds the migrations applied by the other, and starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { migrationsUpTo } from '../helpers/migrations';
import { startSqld, type Sqld } from '../helpers/sqld';

let server: Sqld | undefined;
let dir: string;
const opened: Database[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'concord-instances-'));
});
afterAll(async () => {
  for (const database of opened) database.client.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Three instances on the database, started at once: each migrates it. */
async function startTogether() {
  const instances = [1, 2, 3].map(() => openDatabase(server!.url));
  opened.push(...instances);
  const started = await Promise.allSettled(instances.map((instance) => migrateDatabase(instance)));
  return started.map((s) => (s.status === 'fulfilled' ? 'started' : String(s.reason)));
}

async function appliedMigrations() {
  const { rows } = await opened
    .at(-1)!
    .client.execute('SELECT count(*) AS n, count(DISTINCT hash) AS distinct_n FROM __drizzle_migrations');
  return { n: Number(rows[0]!.n), distinct: Number(rows[0]!.distinct_n) };
}

describe('instances started together on one libSQL server', () => {
  it('all start on a new database, each migration applied once', async () => {
    server = await startSqld();
    expect(await startTogether()).toEqual(['started', 'started', 'started']);
    const applied = await appliedMigrations();
    expect(applied.n).toBe(applied.distinct);
  });

  it('all start when they upgrade it together', async () => {
    await server!.stop();
    server = await startSqld();
    const earlier = openDatabase(server.url);
    opened.push(earlier);
    await migrateDatabase(earlier, migrationsUpTo(dir, '0040_page_memos'));
    expect(await startTogether()).toEqual(['started', 'started', 'started']);
    const applied = await appliedMigrations();
    expect(applied.n).toBe(applied.distinct);
  });
});
