// A one-way test run (dry run) where objects vanished from the source counts the deletions it would
// make, as it counts the creates and updates: its deleted column and its message ("would … delete 1")
// agree, and the entries list the object; yet it deletes nothing — the register object or the REST
// target's record stays, its contract is as it was — and the real run after it does what it said. Above
// the share a real run holds for approval, the test run counts them held, as that run would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { liveObjects, restToRest } from '../helpers/sync-more';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db?.close();
});

async function peer(data: Record<string, unknown[]>) {
  const started = await startJsonServer(data);
  peers.push(started);
  return started;
}
const remove = (server: JsonServer, id: number) => fetch(`${server.url}/people/${id}`, { method: 'DELETE' });

type Api = Awaited<ReturnType<typeof restToRegister>>['api'];
/** The synchronisation's contracts as its page lists them, by origin id. */
async function contractsOf(api: Api, orgId: string, syncId: string) {
  const { rows } = await api.contracts.list({ orgId, syncId, pageSize: 100 });
  return Object.fromEntries(rows.map((c) => [c.originId, c]));
}
/** The run's entries of one action, by origin id. */
async function entriesOf(api: Api, orgId: string, runId: string, action: string) {
  const { rows } = await api.runs.entries({ orgId, runId, pageSize: 100 });
  return rows.filter((e) => e.action === action).map((e) => e.originId);
}

describe('a one-way test run where an object vanished from the source', () => {
  it('into a register: counts the deletion it would make, and deletes nothing', async () => {
    const source = await peer({ people: people(5) });
    const s = await restToRegister(db.db, source.url);
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ created: 5, deleted: 0 });
    await remove(source, 3);
    const contracts = await contractsOf(s.api, s.orgId, s.sync.id);
    const objects = await liveObjects(db.db, s.schema.id);

    const dry = await runThroughApi(s.api, s.orgId, s.sync.id, { test: true });
    expect(dry).toMatchObject({ test: true, result: 'success', found: 4, skipped: 4, deleted: 1 });
    expect(dry.message).toBe(
      'Dry run, nothing was written: would create 0, update 0, delete 1, unchanged 4 of 4 objects.',
    );
    expect(await entriesOf(s.api, s.orgId, dry.id, 'delete')).toEqual(['3']);
    // Nothing deleted: the register object is there, the contract as it was.
    expect(await liveObjects(db.db, s.schema.id)).toEqual(objects);
    expect(await contractsOf(s.api, s.orgId, s.sync.id)).toEqual(contracts);

    // The real run does what the test run said.
    const real = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(real).toMatchObject({ test: false, deleted: 1, held: 0 });
    expect((await liveObjects(db.db, s.schema.id)).map((o) => o.data.name)).not.toContain('Person 3');
  });

  it('into a REST target: counts the deletion, and sends the target nothing', async () => {
    const [A, B] = await Promise.all([peer({ people: people(5) }), peer({ people: [] })]);
    const s = await restToRest(db.db, A.url, B.url, {
      createEndpoint: '/people',
      updateEndpoint: '/people/{{targetId}}',
      deleteEndpoint: '/people/{{targetId}}',
    });
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ created: 5 });
    await remove(A, 3);
    const contracts = await contractsOf(s.api, s.orgId, s.sync.id);
    const held = B.read()['people'];
    await fetch(`${B.url}/__requests`, { method: 'DELETE' });

    const dry = await runThroughApi(s.api, s.orgId, s.sync.id, { test: true });
    expect(dry).toMatchObject({ test: true, deleted: 1 });
    expect(dry.message).toMatch(/would create 0, update 0, delete 1, unchanged 4 of 4 objects\.$/);
    expect(await B.requests()).toEqual([]);
    expect(B.read()['people']).toEqual(held);
    expect(B.read()['people']).toHaveLength(5);
    expect(await contractsOf(s.api, s.orgId, s.sync.id)).toEqual(contracts);
  });

  it('counts deletions a real run would hold for approval as held, and holds nothing', async () => {
    const source = await peer({ people: people(5) });
    const s = await restToRegister(db.db, source.url);
    await runThroughApi(s.api, s.orgId, s.sync.id);
    // Three of five (60 %) are gone: more than the default 50 %, so a real run holds them.
    for (const id of [2, 3, 4]) await remove(source, id);
    const contracts = await contractsOf(s.api, s.orgId, s.sync.id);

    const dry = await runThroughApi(s.api, s.orgId, s.sync.id, { test: true });
    expect(dry).toMatchObject({ test: true, result: 'warning', deleted: 0, held: 3 });
    expect(dry.message).toContain('would create 0, update 0, delete 0, unchanged 2 of 2 objects.');
    expect(dry.message).toContain('A real run would hold these 3 deletions for approval');
    expect(await contractsOf(s.api, s.orgId, s.sync.id)).toEqual(contracts);
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(5);

    const real = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(real).toMatchObject({ test: false, deleted: 0, held: 3 });
  });
});
