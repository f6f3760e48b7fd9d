// Switching a synchronisation off while a run of it waits for a free slot: the run does not start
// afterwards (a run requested a moment later would have been refused), and its log says why. A test run
// still goes, as test runs of a disabled synchronisation do; one already executing finishes.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { objects, ofSchema, runs } from '@/server/db/schema';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { loadRun, requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
const runners: EmbeddedRunner[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(15) });
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

async function startRunner() {
  const runner = new EmbeddedRunner(db.db, {
    urlPolicy: { allowPrivateNetworks: true },
    http: FAST_HTTP,
    pollMs: 20,
    tickMs: 60_000,
    log: () => {},
  });
  runners.push(runner);
  await runner.start();
  await runner.idle();
}

it('does not start a queued run of a synchronisation switched off before it began', async () => {
  const s = await restToRegister(db.db, peer.url);
  const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'schedule' });
  const { run: testRun } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual', test: true });
  await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.sync.id, enabled: false });

  await startRunner();
  const ended = await loadRun(db.db, s.orgId, run.id);
  expect(ended).toMatchObject({ status: 'cancelled', created: 0 });
  expect(ended.message).toBe(
    'Not started: the synchronisation was disabled before this run began. Nothing was written.',
  );
  expect(await db.db.select().from(objects).where(ofSchema(s.schema.id))).toEqual([]);
  expect(await loadRun(db.db, s.orgId, testRun.id)).toMatchObject({ status: 'finished', test: true });
  const left = await db.db.select().from(runs).where(eq(runs.synchronisationId, s.sync.id));
  expect(left.filter((r) => r.status === 'queued' || r.status === 'running')).toEqual([]);
});
