// A REST target's batch update endpoint whose results carry a per-object error (`{"error": "not found"}`),
// with the batch settings' `errorPath` naming where. The object so answered is not counted as updated: it
// is rejected with the target's words, as a 4xx for it alone would be — not sent again until it changes —
// while the batch's other objects land. The batch target answers the error for an object it hides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { startBatchTarget } from '../helpers/batch-target';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer } from '../helpers/json-server';
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
    errorPath: 'error',
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

describe('a batch update endpoint whose result for an object is an error at the error path', () => {
  it('rejects that object with the target’s words, not updated, while the others land', async () => {
    const A = await startJsonServer({ people: people(5) });
    const B = await startBatchTarget();
    peers.push(A, B);
    const s = await restToRest(db.db, A.url, B.url, BATCHED);
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
    const contract = async (originId: string) =>
      (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 })).rows.find(
        (c) => c.originId === originId,
      )!;
    const patches = async () =>
      (await B.requests())
        .filter((r) => r.method === 'PATCH' && r.url === '/people/batch')
        .map((r) => r.count);
    const names = async () => (await B.people()).map((p) => p['name']).sort();
    const rename = (id: number, name: string) =>
      fetch(`${A.url}/people/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });

    expect(await run()).toMatchObject({ created: 5 });
    const before = await contract('4');
    await rename(2, 'Renamed 2');
    await rename(4, 'Renamed 4');
    await B.hide([before.targetId!], { id: Number(before.targetId), error: 'not found' });

    const second = await run();
    expect(second).toMatchObject({ result: 'warning', updated: 1, failed: 1, skipped: 3 });
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: second.id });
    const failed = entries.filter((e) => e.action === 'failed');
    expect(failed).toEqual([expect.objectContaining({ originId: '4' })]);
    expect(failed[0]!.reason).toBe(
      'The batch endpoint answered 200 with an error for this object at `error`: not found. It was not written; it is sent again when it changes or is re-synced.',
    );
    expect(await contract('4')).toMatchObject({ status: 'rejected', targetHash: before.targetHash });
    expect(await contract('2')).toMatchObject({ status: 'synced' });
    expect(await names()).toEqual(['Person 1', 'Person 3', 'Person 4', 'Person 5', 'Renamed 2']);

    // Refused as it is, it is not sent again until it changes; then it lands.
    await B.hide([]);
    expect(await run()).toMatchObject({ result: 'success', updated: 0, skipped: 5 });
    expect(await patches()).toEqual([2]);
    await rename(4, 'Renamed again 4');
    expect(await run()).toMatchObject({ result: 'success', updated: 1, failed: 0, skipped: 4 });
    expect(await patches()).toEqual([2, 1]);
    expect(await names()).toEqual(['Person 1', 'Person 3', 'Person 5', 'Renamed 2', 'Renamed again 4']);
  });
});
