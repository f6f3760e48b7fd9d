// Nothing is lost when the process dies (seed 004): the app is killed (SIGKILL) in the middle of a long
// run against json-server and started again; the run finishes, every object exists in the target
// exactly once, no contract is duplicated, and the log shows the interruption.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { appProcess } from './app-process';
import { and, eq, isNull } from 'drizzle-orm';
import { startJsonServer } from '../integration/helpers/json-server';

const PORT = Number(process.env.E2E_KILL_PORT ?? 3287);
const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-kill-'));
// The test process and the app share the data folder (database file and keys).
process.env.CONCORD_DATA_DIR = dataDir;
const concord = appProcess({ port: PORT, dataDir });

async function kill(app: ChildProcess) {
  const exited = new Promise((resolve) => app.once('exit', resolve));
  process.kill(-app.pid!, 'SIGKILL');
  await exited;
}

async function until<T>(
  probe: () => Promise<T | false | undefined>,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a run killed mid-way resumes after a restart: every object once, one contract each', async () => {
  test.setTimeout(240_000);
  const { openDatabase } = await import('@/server/db/client');
  const { migrateDatabase } = await import('@/server/db/migrate');
  const { contractReadColumns, contracts, objects, ofSchema, ofSynchronisation, runs } =
    await import('@/server/db/schema');
  const { requestRun } = await import('@/server/services/runs');
  const { people, restToRegister } = await import('../integration/helpers/sync-setup');

  const database = openDatabase(`file:${dataDir}/concord.db`);
  await migrateDatabase(database);
  const { db } = database;
  // 5,000 people, 100 a page, each page answered after 60 ms: a run of several seconds.
  const peer = await startJsonServer({ people: people(5000) }, ['--delay', '60']);
  const apps: ChildProcess[] = [];
  try {
    const s = await restToRegister(db, peer.url, {
      sourceEndpoint: '/people?_page=1&_limit=100',
      sourceConfig: { pagination: { kind: 'link-header' }, maxPages: 200 },
    });
    const { run } = await requestRun(db, s.orgId, s.sync.id, { trigger: 'manual' });
    const load = async () => (await db.select().from(runs).where(eq(runs.id, run.id)))[0]!;

    apps.push(concord.start());
    await until(async () => (await load()).pagesFetched >= 5, 'the run to be under way', 90_000);
    await kill(apps[0]!);
    const interrupted = await load();
    expect(interrupted.status).toBe('running');
    expect(interrupted.pagesFetched).toBeLessThan(50);

    apps.push(concord.start());
    const finished = await until(
      async () => {
        const r = await load();
        return r.status === 'finished' && r;
      },
      'the resumed run to finish',
      150_000,
    );

    expect(finished).toMatchObject({
      result: 'success',
      found: 5000,
      deleted: 0,
      failed: 0,
      pagesFetched: 50,
    });
    expect(finished.interruptions).toBeGreaterThanOrEqual(1);
    expect(finished.message).toMatch(/Resumed after/);
    const stored = await db
      .select()
      .from(objects)
      .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));
    expect(stored).toHaveLength(5000);
    expect(new Set(stored.map((o) => o.data.email)).size).toBe(5000);
    const rows = await db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id));
    expect(rows).toHaveLength(5000);
    expect(new Set(rows.map((c) => c.targetId)).size).toBe(5000);
  } catch (error) {
    concord.show();
    throw error;
  } finally {
    for (const app of apps) if (app.exitCode === null && app.signalCode === null) await kill(app);
    await peer.stop();
    database.client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
