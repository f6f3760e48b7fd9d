// A REST target's batch endpoint whose credentials are no longer accepted: it answers every write with a
// redirect to its login page (POST/PATCH → 303 → GET /login → 200 text/html), and writes nothing. The
// page's 2xx is not the batch being taken: no object of the batch is counted as written (no synced
// contract), each is failed with the redirect as its reason, tried again next run, and once the target
// takes writes again each lands once. The batch target (test/fixtures/batch-target) plays signed out.
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
  // How the next run asks whether a create it could not confirm was made (GET /people, then by email).
  match: { field: 'email' },
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
  const contracts = async () =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 })).rows;
  const batches = async (method: string) =>
    (await B.requests()).filter((r) => r.method === method && r.url === '/people/batch').map((r) => r.count);
  return { A, B, s, run, contracts, batches };
}

describe('a batch endpoint that redirects its writes to a login page', () => {
  it('creates nothing it cannot confirm, and creates each object once when the target takes them', async () => {
    const t = await setup(3);
    await t.B.signedOut(true);

    const first = await t.run();
    // As any transient failure of every object: an error run, the contracts failed (not rejected).
    expect(first).toMatchObject({ result: 'error', created: 0, failed: 3 });
    for (const contract of await t.contracts()) {
      expect(contract).toMatchObject({ status: 'failed', targetId: null });
      expect(contract.lastError).toContain(
        'The target answered the batch create (POST) with a redirect (303) to a page that answered 200 with a body Concord could not read (content-type text/html',
      );
      expect(contract.lastError).toContain(
        'A login page usually means the credentials are no longer accepted',
      );
      expect(contract.lastError).toContain('The next run looks for it by its match field `email`');
    }
    const { rows: entries } = await t.s.api.runs.entries({ orgId: t.s.orgId, runId: first.id });
    expect(entries).toHaveLength(3);
    for (const entry of entries) expect(entry.reason).toContain('with a redirect (303)');
    expect(await t.B.people()).toEqual([]);
    expect(await t.batches('POST')).toEqual([3]);

    await t.B.signedOut(false);
    // Each is looked up by its email first (none there), then sent: one batch, one copy each.
    expect(await t.run()).toMatchObject({ result: 'success', created: 3, failed: 0 });
    expect(await t.batches('POST')).toEqual([3, 3]);
    const lookups = (await t.B.requests()).filter((r) => r.method === 'GET' && r.url.startsWith('/people?'));
    expect(lookups.map((r) => r.url).sort()).toEqual(
      people(3).map((p) => `/people?email=${encodeURIComponent(p.email)}`),
    );
    const held = await t.B.people();
    expect(held.map((p) => p['email']).sort()).toEqual(people(3).map((p) => p.email));
    for (const contract of await t.contracts()) {
      expect(contract.status).toBe('synced');
      const at = held.find((p) => String(p['id']) === contract.targetId);
      expect(at?.['email']).toBe(`person${contract.originId}@example.test`);
    }

    expect(await t.run()).toMatchObject({ result: 'success', created: 0, skipped: 3 });
    expect(await t.batches('POST')).toEqual([3, 3]);
  });

  it('does not count a batch of updates as made: each is sent again once the target takes it', async () => {
    const t = await setup(5);
    expect(await t.run()).toMatchObject({ created: 5 });
    for (const id of [2, 4])
      await fetch(`${t.A.url}/people/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Renamed ${id}` }),
      });
    await t.B.signedOut(true);

    const second = await t.run();
    expect(second).toMatchObject({ result: 'warning', updated: 0, failed: 2, skipped: 3 });
    const byOrigin = new Map((await t.contracts()).map((c) => [c.originId, c]));
    for (const id of ['2', '4']) {
      expect(byOrigin.get(id)).toMatchObject({ status: 'failed' });
      expect(byOrigin.get(id)?.lastError).toContain(
        'The target answered the batch update (PATCH) with a redirect (303) to a page that answered 200 with a body Concord could not read',
      );
      expect(byOrigin.get(id)?.lastError).toContain('the update may not have been made');
    }
    expect((await t.B.people()).map((p) => p['name']).sort()).toEqual(people(5).map((p) => p.name));

    await t.B.signedOut(false);
    expect(await t.run()).toMatchObject({ result: 'success', updated: 2, failed: 0 });
    expect(await t.batches('PATCH')).toEqual([2, 2]);
    expect((await t.B.people()).map((p) => p['name']).sort()).toEqual([
      'Person 1',
      'Person 3',
      'Person 5',
      'Renamed 2',
      'Renamed 4',
    ]);
    expect(await t.B.people()).toHaveLength(5);
  });
});
