// run-sync on @inngest/test, a step retried after its body had done its work: the worker died (or its
// answer to Inngest was lost) after the step's writes, before Inngest stored the step's result, so
// Inngest runs the step again. Nothing is written twice, and the run's counts still say what was done:
// a deletion batch retried reported "deleted 0" for objects it had deleted, a page retried "unchanged"
// for objects it had created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveHeld } from '@/server/services/held-deletions';
import { loadRun, requestRun } from '@/server/services/runs';
import type * as RunSyncModule from '@/inngest/functions/run-sync';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests, registerToRest } from '../helpers/push-setup';
import { liveObjects } from '../helpers/sync-more';
import { people, restToRegister } from '../helpers/sync-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

let db: TestDatabase;
let shared: { close: () => void };
let runSyncFunction: typeof RunSyncModule.runSyncFunction;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  shared = await useDatabaseFile(db.file);
  ({ runSyncFunction } = await import('@/inngest/functions/run-sync'));
});
afterAll(async () => {
  shared?.close();
  await Promise.all(peers.map((p) => p.stop()));
  await db?.close();
});

async function peerWith(data: Record<string, unknown[]>) {
  const peer = await startJsonServer(data);
  peers.push(peer);
  return peer;
}

/**
 * Executes the run on Inngest; with `lost`, that step's body runs to its end and then its attempt fails
 * (the answer never reached Inngest), and Inngest retries the function run with the earlier steps memoised.
 */
async function execute(orgId: string, syncId: string, runId: string, lost?: string) {
  const event = { name: 'sync/run.requested', data: { runId, syncId } };
  const first = recordingEngine(runSyncFunction, event, {
    around: async (id, body) => {
      const result = await body();
      if (id === lost) throw new Error(`The worker died after ${id} had run`);
      return result;
    },
  });
  const out = await first.engine.execute();
  if (lost) {
    expect(out.error).toMatchObject({ message: `The worker died after ${lost} had run` });
    const retry = recordingEngine(runSyncFunction, event, { memo: first.recorder.results });
    expect((await retry.engine.execute()).error).toBeUndefined();
    expect(retry.recorder.executed[0]).toBe(lost);
  } else expect(out.error).toBeUndefined();
  return loadRun(db.db, orgId, runId);
}

async function runOnInngest(orgId: string, syncId: string, lost?: string) {
  const { run } = await requestRun(db.db, orgId, syncId, { trigger: 'manual' });
  return execute(orgId, syncId, run.id, lost);
}

describe('a step Inngest runs again after its body had run', () => {
  it('a page: its objects count as created, once each', async () => {
    const peer = await peerWith({ people: people(25) });
    const s = await restToRegister(db.db, peer.url);
    const run = await runOnInngest(s.orgId, s.sync.id, 'page-2');
    expect(run).toMatchObject({ status: 'finished', result: 'success', created: 25, skipped: 0 });
    expect(run.message).toBe('Created 25, updated 0, deleted 0, unchanged 0 of 25 objects.');
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(25);
  });

  it('a deletion batch: the objects it deleted count as deleted', async () => {
    const peer = await peerWith({ people: people(25) });
    const s = await restToRegister(db.db, peer.url);
    expect(await runOnInngest(s.orgId, s.sync.id)).toMatchObject({ created: 25 });
    for (let id = 1; id <= 5; id++) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });

    const run = await runOnInngest(s.orgId, s.sync.id, 'deletions-1');
    expect(run).toMatchObject({ result: 'success', deleted: 5, skipped: 20 });
    expect(run.message).toBe('Created 0, updated 0, deleted 5, unchanged 20 of 20 objects.');
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(20);
  });

  it('a push’s deletions: each DELETE sent once, and counted', async () => {
    const peer = await peerWith({ people: [] });
    const s = await registerToRest(db.db, peer.url);
    const made = [];
    for (let i = 1; i <= 6; i++)
      made.push(
        await s.api.registers.createObject({
          orgId: s.orgId,
          schemaId: s.schema.id,
          data: { name: `Person ${i}`, email: `person${i}@example.test` },
        }),
      );
    expect(await runOnInngest(s.orgId, s.push.id)).toMatchObject({ created: 6 });
    for (const object of made.slice(0, 2))
      await s.api.registers.deleteObject({ orgId: s.orgId, objectId: object.id });
    await fetch(`${peer.url}/__requests`, { method: 'DELETE' });

    const run = await runOnInngest(s.orgId, s.push.id, 'deletions-1');
    expect(run).toMatchObject({ result: 'success', deleted: 2 });
    expect(Object.values(countRequests(await peer.requests()))).toEqual([1, 1]);
    expect(await (await fetch(`${peer.url}/people`)).json()).toHaveLength(4);
  });

  it('an approval’s batch: the approved deletions it carried out count as deleted', async () => {
    const peer = await peerWith({ people: people(25) });
    const s = await restToRegister(db.db, peer.url);
    await runOnInngest(s.orgId, s.sync.id);
    for (let id = 1; id <= 20; id++) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
    expect(await runOnInngest(s.orgId, s.sync.id)).toMatchObject({ result: 'warning', held: 20 });

    const approval = await approveHeld(db.db, s.orgId, s.sync.id, s.owner.user.id);
    const run = await execute(s.orgId, s.sync.id, approval.id, 'approve-1');
    expect(run).toMatchObject({ result: 'success', deleted: 20 });
    expect(run.message).toBe('Approved deletions applied: deleted 20.');
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(5);
  });
});
