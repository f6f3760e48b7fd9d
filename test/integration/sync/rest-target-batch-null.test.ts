// A REST target's batch endpoint that answers `null` for one object of the batch. An update (the target
// does not hold the object, or these credentials do not see it: the batch target hides it) is not counted
// as updated: it is failed with the reason, its contract keeps the last version the target took, and the
// next run sends it again — until the target takes it — while the batch's other objects land. A create
// (the batch target declines it) is failed as one that may exist: the next run looks it up by its match
// field before sending it again, so it is made once.
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
  // How the next run asks whether a create answered `null` was made (GET /people, then by email).
  match: { field: 'email' },
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

async function setup(count: number) {
  const A: JsonServer = await startJsonServer({ people: people(count) });
  const B: BatchTarget = await startBatchTarget();
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, BATCHED);
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const contract = async (originId: string) =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 })).rows.find(
      (c) => c.originId === originId,
    )!;
  const batches = async (method: string) =>
    (await B.requests()).filter((r) => r.method === method && r.url === '/people/batch').map((r) => r.count);
  const names = async () => (await B.people()).map((p) => p['name']).sort();
  return { A, B, s, run, contract, patches: () => batches('PATCH'), posts: () => batches('POST'), names };
}

describe('a batch endpoint that answers null for an object', () => {
  it('fails an update so answered, not updated, and sends it again next run until the target takes it', async () => {
    const { A, B, s, run, contract, patches, names } = await setup(5);

    expect(await run()).toMatchObject({ created: 5 });
    const before = await contract('4');
    for (const id of [2, 4])
      await fetch(`${A.url}/people/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Renamed ${id}` }),
      });
    await B.hide([before.targetId!]);

    const second = await run();
    expect(second).toMatchObject({ result: 'warning', updated: 1, failed: 1, skipped: 3 });
    expect(await patches()).toEqual([2]);
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: second.id });
    const failed = entries.filter((e) => e.action === 'failed');
    expect(failed).toEqual([expect.objectContaining({ originId: '4' })]);
    expect(failed[0]!.reason).toContain(
      'The batch endpoint answered 200 but no result for this object (its entry is `null`): it did not say it wrote it, so it is not counted as updated.',
    );
    expect(failed[0]!.reason).toContain('It is sent again next run.');
    // Its contract stays at the version the target last took: failed, to be sent again.
    const after = await contract('4');
    expect(after).toMatchObject({ status: 'failed', targetId: before.targetId });
    expect(after.lastError).toContain('its entry is `null`');
    expect(after.originHash).toBe(before.originHash);
    expect(after.targetHash).toBe(before.targetHash);
    expect(await contract('2')).toMatchObject({ status: 'synced' });
    expect(await names()).toEqual(['Person 1', 'Person 3', 'Person 4', 'Person 5', 'Renamed 2']);

    // Unchanged at the source, it is sent again (alone), and failed again while the target does not take it.
    expect(await run()).toMatchObject({ result: 'warning', updated: 0, failed: 1, skipped: 4 });
    expect(await patches()).toEqual([2, 1]);

    await B.hide([]);
    expect(await run()).toMatchObject({ result: 'success', updated: 1, failed: 0, skipped: 4 });
    expect(await patches()).toEqual([2, 1, 1]);
    expect(await names()).toEqual(['Person 1', 'Person 3', 'Person 5', 'Renamed 2', 'Renamed 4']);
    expect(await contract('4')).toMatchObject({ status: 'synced', targetId: before.targetId });
    expect(await run()).toMatchObject({ result: 'success', updated: 0, skipped: 5 });
    expect(await patches()).toEqual([2, 1, 1]);
  });

  it('fails a create so answered as one that may exist: looked up next run, then made once', async () => {
    const { B, s, run, contract, posts, names } = await setup(3);
    await B.decline(['person2@example.test']);

    const first = await run();
    expect(first).toMatchObject({ result: 'warning', created: 2, failed: 1 });
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: first.id });
    expect(entries).toEqual([expect.objectContaining({ originId: '2', action: 'failed' })]);
    expect(entries[0]!.reason).toContain(
      'The batch endpoint answered 201 but no result for this object (its entry is `null`): it did not say it created it, nor under which id.',
    );
    expect(entries[0]!.reason).toContain('The next run looks for it by its match field `email`');
    expect(await contract('2')).toMatchObject({ status: 'failed', targetId: null });
    expect(await names()).toEqual(['Person 1', 'Person 3']);

    await B.decline([]);
    expect(await run()).toMatchObject({ result: 'success', created: 1, failed: 0 });
    // Looked up by its email first (none there), then sent alone: one copy.
    const lookups = (await B.requests()).filter((r) => r.method === 'GET' && r.url.startsWith('/people?'));
    expect(lookups.map((r) => r.url)).toEqual([
      `/people?email=${encodeURIComponent('person2@example.test')}`,
    ]);
    expect(await posts()).toEqual([3, 1]);
    expect(await names()).toEqual(['Person 1', 'Person 2', 'Person 3']);
    const held = (await B.people()).find((p) => p['name'] === 'Person 2');
    expect(await contract('2')).toMatchObject({ status: 'synced', targetId: String(held?.['id']) });
    expect(await run()).toMatchObject({ result: 'success', created: 0, skipped: 3 });
  });
});
