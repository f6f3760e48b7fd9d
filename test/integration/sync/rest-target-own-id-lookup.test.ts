// A create the REST target took (a 2xx) without an answer naming the new object, looked up on the next run
// at the object's own id (no match field; the body carries an id). A target that keeps the id it is given
// holds the object there, and it is linked. A target that gives objects ids of its own may hold an
// UNRELATED object at that id: linking it would have every later update overwrite it. So what is found is
// linked only when it holds every field that was sent, as sent; otherwise nothing is linked, and the object
// is not sent again until it changes. json-server B plays both: it keeps given ids, and a fault answers a
// POST with a page without writing (as a target that stored it under an id of its own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type Fault, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

type Row = Record<string, unknown>;

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
};
const GATEWAY_PAGE = '<html><body><h1>Request accepted</h1></body></html>';
const UNRELATED = { id: 2, name: 'Someone Else', email: 'someone@elsewhere.test', city: 'Zwolle' };

let db: TestDatabase;
const peers: JsonServer[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

async function setup(heldByB: Row[]) {
  const A = await startJsonServer({ people: people(3) });
  const B = await startJsonServer({ people: heldByB });
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, TARGET);
  // The object's own id goes in the body.
  await s.api.mappings.update({
    orgId: s.orgId,
    mappingId: s.mapping.id,
    config: { mapping: { id: 'id', name: 'name', email: 'email', city: 'address.city' } },
  });
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const contractOf = async (originId: string) => {
    const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 50 });
    return rows.find((c) => c.originId === originId);
  };
  const inB = async () => (await (await fetch(`${B.url}/people`)).json()) as Row[];
  const writesToB = async () =>
    (await B.requests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
  return { A, B, s, run, contractOf, inB, writesToB };
}

/** Person 2's create answered 201 with a page; `passThrough`: after json-server wrote it at its id. */
const pageForPerson2 = (passThrough: boolean): Fault => ({
  path: '/people',
  method: 'POST',
  whenBodyHas: 'person2@',
  ...(passThrough ? { passThrough: true, times: 1 } : { status: 201 }),
  body: GATEWAY_PAGE,
  headers: { 'content-type': 'text/html' },
});

describe('the own-id lookup of a create answered without naming the object', () => {
  it('links the object the target holds at its id when it holds what was sent', async () => {
    const t = await setup([]);
    await t.B.faults([pageForPerson2(true)]);
    const first = await t.run();
    expect(first).toMatchObject({ created: 2, failed: 1 });
    expect((await t.contractOf('2'))?.lastError).toContain(
      'The next run looks for it by its own id at `id` and links it',
    );

    const second = await t.run();
    expect(second).toMatchObject({ failed: 0 });
    expect(await t.writesToB()).toEqual(['POST /people', 'POST /people', 'POST /people']);
    expect(await t.contractOf('2')).toMatchObject({ status: 'synced', targetId: '2' });
    expect((await t.inB()).filter((p) => p['email'] === 'person2@example.test')).toHaveLength(1);
  });

  it('does not link, nor ever overwrite, an unrelated object the target holds at the id', async () => {
    const t = await setup([UNRELATED]);
    await t.B.faults([pageForPerson2(false)]);
    const first = await t.run();
    expect(first).toMatchObject({ created: 2, failed: 1 });

    // Asked at /people/2: what is there is not person 2.
    const second = await t.run();
    expect(second).toMatchObject({ created: 0, updated: 0, failed: 1 });
    const contract = await t.contractOf('2');
    expect(contract).toMatchObject({ status: 'rejected', targetId: null });
    expect(contract?.lastError).toContain(
      'An earlier attempt to create this object was accepted by the target (a 2xx) without an answer naming the object it made: it may be there.',
    );
    expect(contract?.lastError).toContain(
      "what the target holds at the object's id `2` is not the object sent",
    );
    expect(contract?.lastError).toContain('so it is not sent again until it changes');
    expect(await t.writesToB()).toEqual(['POST /people', 'POST /people', 'POST /people']);

    // Unchanged: left alone. Changed at A: sent again as a create, never as an update of /people/2.
    await t.run();
    await fetch(`${t.A.url}/people/2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Two Renamed' }),
    });
    await t.run();
    const writes = await t.writesToB();
    expect(writes.filter((w) => w !== 'POST /people')).toEqual([]);
    expect(writes).toHaveLength(4);
    expect((await t.inB()).find((p) => p['id'] === 2)).toEqual(UNRELATED);
    expect(await t.contractOf('2')).toMatchObject({ targetId: null });
  });
});
