// A REST target that answers a refused write with 200 and an error in the body (`{"success": false,
// "error": "…"}`, as many RPC-style APIs do): with `errorPath` set, that write is refused with the
// target's words — rejected, not counted as written — while answers with nothing there (or null) are
// writes as before. Through the API, against json-server answering those writes with the error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  errorPath: 'error',
};
const JSON_ANSWER = { 'content-type': 'application/json' };
const REFUSED = {
  status: 200,
  body: JSON.stringify({ success: false, error: 'Email already in use' }),
  headers: JSON_ANSWER,
};

let db: TestDatabase;
const peers: JsonServer[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

async function setup() {
  const A = await startJsonServer({ people: people(3) });
  const B = await startJsonServer({ people: [] });
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, TARGET);
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const contractOf = async (originId: string) =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 50 })).rows.find(
      (c) => c.originId === originId,
    );
  return { A, B, s, run, contractOf };
}

describe('a REST target whose 2xx answers may hold an error', () => {
  it('refuses a create answered 200 with an error, and writes the others', async () => {
    const t = await setup();
    await t.B.faults([{ path: '/people', method: 'POST', whenBodyHas: 'person3@', ...REFUSED }]);

    expect(await t.run()).toMatchObject({ result: 'warning', created: 2, failed: 1 });
    expect(await t.contractOf('3')).toMatchObject({
      status: 'rejected',
      lastError: expect.stringContaining(
        'The target answered 200 with an error at `error`: Email already in use',
      ),
    });
    expect(await t.contractOf('1')).toMatchObject({ status: 'synced' });
    // Not sent again while it stays as it is.
    const writes = async () => (await t.B.requests()).filter((r) => r.method !== 'GET').length;
    const before = await writes();
    expect(await t.run()).toMatchObject({ created: 0, failed: 0 });
    expect(await writes()).toBe(before);
  });

  it('refuses an update answered 200 with an error; an answer with null there is a write', async () => {
    const t = await setup();
    expect(await t.run()).toMatchObject({ created: 3 });
    const id2 = (await t.contractOf('2'))!.targetId!;
    const id3 = (await t.contractOf('3'))!.targetId!;
    for (const id of [2, 3])
      await fetch(`${t.A.url}/people/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Renamed ${id}` }),
      });
    await t.B.faults([
      { path: `/people/${id2}`, method: 'PUT', ...REFUSED },
      {
        path: `/people/${id3}`,
        method: 'PUT',
        status: 200,
        body: JSON.stringify({ success: true, error: null }),
        headers: JSON_ANSWER,
      },
    ]);

    expect(await t.run()).toMatchObject({ result: 'warning', updated: 1, failed: 1 });
    expect(await t.contractOf('2')).toMatchObject({
      status: 'rejected',
      lastError: expect.stringContaining('Email already in use'),
    });
    expect(await t.contractOf('3')).toMatchObject({ status: 'synced', lastAction: 'update' });
  });
});
