// The embedded runner is fair between organisations: two runs of one organisation stuck on a source that
// trickles its answer hold both regular slots, and another organisation's run still starts and finishes
// meanwhile (issue 9: it waited four minutes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { loadRun, requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister } from '../helpers/sync-setup';
import { startTrickleServer, type TrickleServer } from '../helpers/trickle-server';

let db: TestDatabase;
let peer: JsonServer;
let trickle: TrickleServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(3) });
  trickle = await startTrickleServer(100);
});
afterAll(async () => {
  await trickle.close();
  await peer.stop();
  await db.close();
});

async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('embedded runner fairness', () => {
  it("runs another organisation's sync while one organisation's two runs are stuck on a slow source", async () => {
    const slow = await restToRegister(db.db, trickle.url);
    const second = await slow.api.synchronisations.create({
      orgId: slow.orgId,
      ...slow.input,
      name: 'People again',
    });
    const quick = await restToRegister(db.db, peer.url);
    const runner = new EmbeddedRunner(db.db, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
      concurrency: 2,
      pollMs: 20,
      tickMs: 60_000,
      log: () => {},
    });
    await runner.start();
    try {
      const stuck = [
        (await requestRun(db.db, slow.orgId, slow.sync.id, { trigger: 'manual' })).run.id,
        (await requestRun(db.db, slow.orgId, second.id, { trigger: 'manual' })).run.id,
      ];
      runner.wake();
      await waitFor(
        () => Promise.resolve(trickle.requests.length >= 2),
        'both slow runs to ask the slow source',
      );

      const { run } = await requestRun(db.db, quick.orgId, quick.sync.id, { trigger: 'manual' });
      runner.wake();
      const done = await waitFor(async () => {
        const r = await loadRun(db.db, quick.orgId, run.id);
        return r.status === 'finished' && r;
      }, "the other organisation's run");
      expect(done).toMatchObject({ result: 'success', created: 3 });
      for (const id of stuck) expect((await loadRun(db.db, slow.orgId, id)).status).toBe('running');
    } finally {
      // Ends the slow answers (the runs fail), so the runner can stop.
      await trickle.close();
      await runner.stop();
    }
  });
});
