// A REST target that refuses Concord's credentials (401) or permissions (403) is refusing who asks, not
// the object: no object may be marked rejected for it — rejected objects wait for their next change, so
// once the credentials were put right they would never be delivered. A 401 stops the batch at once (every
// other request would be refused alike, and some APIs lock an account that keeps trying) and, when
// nothing was written, the run, saying so; a 403 leaves its object failed, tried again next run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { startBatchTarget } from '../helpers/batch-target';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
};
const UNAUTHORIZED = { status: 401, body: { error: 'invalid_token' } };

/** What the target holds now, as it answers (its file is written a moment later). */
const held = async (B: JsonServer) => (await (await fetch(`${B.url}/people`)).json()) as unknown[];

let db: TestDatabase;
const peers: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

async function setup(targetConfig: RestTargetConfigInput, B: { url: string; stop(): Promise<void> }) {
  const A: JsonServer = await startJsonServer({ people: people(6) });
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, targetConfig);
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const contracts = async () =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 })).rows;
  return { A, s, run, contracts };
}

describe('a REST target refusing credentials or permissions', () => {
  it('stops the run at the first 401, marks nothing rejected, and delivers everything once they are right', async () => {
    const B = await startJsonServer({ people: [] });
    const t = await setup(TARGET, B);
    await B.faults([{ path: '/people', method: 'POST', ...UNAUTHORIZED }]);

    const refused = await t.run();
    expect(refused).toMatchObject({ result: 'error', created: 0 });
    expect(refused.message).toContain("The target refused Concord's credentials; nothing was created");
    expect(refused.message).toContain('401');
    expect(refused.message).toContain('Fix that first');
    // Not one request per object: the batch stopped at the first refusal (the others in flight with it
    // at most, the target's concurrency).
    const posts = (await B.requests()).filter((r) => r.method === 'POST');
    expect(posts.length).toBeLessThan(6);
    expect((await t.contracts()).filter((c) => c.status === 'rejected')).toEqual([]);

    // The credentials put right: the next run, with nothing changed at the source, delivers all six.
    await B.clearFaults();
    expect(await t.run()).toMatchObject({ result: 'success', created: 6, failed: 0 });
    expect(await held(B)).toHaveLength(6);
  });

  it('leaves an object a 403 refused failed, not rejected, and tries it again next run', async () => {
    const B = await startJsonServer({ people: [] });
    const t = await setup(TARGET, B);
    await B.faults([
      { path: '/people', method: 'POST', whenBodyHas: 'person4@', status: 403, body: { error: 'forbidden' } },
    ]);

    expect(await t.run()).toMatchObject({ result: 'warning', created: 5, failed: 1 });
    const four = (await t.contracts()).find((c) => c.originId === '4');
    expect(four).toMatchObject({ status: 'failed', lastError: expect.stringContaining('403') });

    await B.clearFaults();
    expect(await t.run()).toMatchObject({ result: 'success', created: 1, skipped: 5 });
    expect(await held(B)).toHaveLength(6);
  });

  it('keeps what landed beside a 401 and leaves the rest failed, to be sent again', async () => {
    const B = await startJsonServer({ people: [] });
    const t = await setup(TARGET, B);
    // The token runs out while the creates are out: person 2's is refused, those answered before land.
    await B.faults([{ path: '/people', method: 'POST', whenBodyHas: 'person2@', ...UNAUTHORIZED }]);
    const first = await t.run();
    expect(first.result).toBe('warning');
    expect(first.created).toBeGreaterThanOrEqual(1);
    expect(first.created + first.failed).toBe(6);
    const contracts = await t.contracts();
    expect(contracts.find((c) => c.originId === '2')).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('401'),
    });
    expect(contracts.filter((c) => c.status === 'rejected')).toEqual([]);
    expect(await held(B)).toHaveLength(first.created);

    await B.clearFaults();
    expect(await t.run()).toMatchObject({ result: 'success', created: 6 - first.created });
    expect(await held(B)).toHaveLength(6);
  });

  it('does not split a batch refused with 401 into a request per object', async () => {
    const B = await startBatchTarget();
    const t = await setup(
      {
        ...TARGET,
        batch: { createEndpoint: '/people/batch', itemsKey: 'items', resultsPath: 'results', size: 4 },
      },
      B,
    );
    await B.unauthorized(true);

    const refused = await t.run();
    expect(refused).toMatchObject({ result: 'error', created: 0 });
    expect(refused.message).toContain("The target refused Concord's credentials");
    // One batch sent, not halved down to single objects, and the second batch not sent at all.
    expect((await B.requests()).filter((r) => r.method === 'POST').map((r) => r.count)).toEqual([4]);
    expect((await t.contracts()).filter((c) => c.status === 'rejected')).toEqual([]);

    await B.unauthorized(false);
    expect(await t.run()).toMatchObject({ result: 'success', created: 6 });
    expect(await B.people()).toHaveLength(6);
  });
});
