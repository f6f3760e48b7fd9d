// A REST target's batch endpoint, through the API: a page's creates go out as one batch; a batch the
// target refuses as a whole is split in halves until the one object it refuses stands alone, which is
// rejected with the target's answer while the others land; updates go out as batches too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { startBatchTarget, type BatchTarget } from '../helpers/batch-target';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

const BATCHED: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  batch: {
    createEndpoint: '/people/batch',
    updateEndpoint: '/people/batch',
    updateMethod: 'PATCH',
    itemsKey: 'items',
    resultsPath: 'results',
    size: 20,
  },
};

let db: TestDatabase;
const peers: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

async function setup(rows: Record<string, unknown>[]) {
  const A: JsonServer = await startJsonServer({ people: rows });
  const B: BatchTarget = await startBatchTarget();
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, BATCHED);
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const contracts = async () =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 })).rows;
  return { A, B, s, run, contracts };
}

describe('a batch endpoint', () => {
  it('isolates the object a refused batch holds: it alone is rejected, the others land', async () => {
    const rows = people(8);
    rows[7] = { ...rows[7]!, name: 'Nobody', email: '' };
    const t = await setup(rows);

    const first = await t.run();
    expect(first).toMatchObject({ result: 'warning', found: 8, created: 7, failed: 1 });
    expect((await t.B.people()).map((p) => p['name']).sort()).toEqual(
      people(7)
        .map((p) => p.name)
        .sort(),
    );
    // 8 refused → 4 landed + 4 refused → 2 landed + 2 refused → 1 landed + the bad one alone.
    const batches = (await t.B.requests()).filter((r) => r.url === '/people/batch');
    expect(batches.map((r) => r.count)).toEqual([8, 4, 4, 2, 2, 1, 1]);

    const { rows: entries } = await t.s.api.runs.entries({ orgId: t.s.orgId, runId: first.id });
    expect(entries).toEqual([
      expect.objectContaining({
        originId: '8',
        action: 'failed',
        reason: expect.stringContaining('Nobody has no email'),
      }),
    ]);
    const byOrigin = new Map((await t.contracts()).map((c) => [c.originId, c]));
    expect(byOrigin.get('8')).toMatchObject({
      status: 'rejected',
      lastError: expect.stringContaining('422'),
    });
    // Every other object has the id the batch answer gave it.
    const held = await t.B.people();
    for (const person of people(7)) {
      const contract = byOrigin.get(String(person.id));
      expect(held.find((p) => String(p['id']) === contract?.targetId)?.['email']).toBe(person.email);
    }

    // The rejected object is not sent again while it stays as it is.
    const before = (await t.B.requests()).length;
    expect(await t.run()).toMatchObject({ result: 'success', created: 0, skipped: 8 });
    expect((await t.B.requests()).length).toBe(before);
  });

  it('sends the updates of a page as a batch too', async () => {
    const t = await setup(people(5));
    expect(await t.run()).toMatchObject({ created: 5 });
    for (const id of [2, 4])
      await fetch(`${t.A.url}/people/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Renamed ${id}` }),
      });
    expect(await t.run()).toMatchObject({ result: 'success', updated: 2, skipped: 3 });
    const patches = (await t.B.requests()).filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.count)).toEqual([2]);
    expect((await t.B.people()).map((p) => p['name']).sort()).toEqual([
      'Person 1',
      'Person 3',
      'Person 5',
      'Renamed 2',
      'Renamed 4',
    ]);
  });
});
