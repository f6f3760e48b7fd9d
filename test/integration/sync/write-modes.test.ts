// Write modes through the API, json-server A into json-server B: insert only never touches what it
// wrote, update only never creates (and updates what B already has under the origin's id), a mirror
// deletes what vanished even when the synchronisation says soft deletion. Each case counts the
// requests B received, since that is what B's owner sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import type { WriteMode } from '@/server/sync/core/write-mode';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

type Row = Record<string, unknown>;

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
  updateMethod: 'PUT',
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

async function setup(writeMode: WriteMode, a: Row[], b: Row[]) {
  const [A, B] = await Promise.all([startJsonServer({ people: a }), startJsonServer({ people: b })]);
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, TARGET, { writeMode, deleteMode: 'soft' });
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const sent = async (method: string) => (await B.requests()).filter((r) => r.method === method).length;
  const inB = async () => (await (await fetch(`${B.url}/people`)).json()) as Row[];
  const patchA = (id: number, body: Row) =>
    fetch(`${A.url}/people/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const deleteA = (id: number) => fetch(`${A.url}/people/${id}`, { method: 'DELETE' });
  return { A, B, s, run, sent, inB, patchA, deleteA };
}

describe('insert only', () => {
  it('creates what B lacks and never updates what it wrote', async () => {
    const t = await setup('insert-only', people(3), []);
    expect(await t.run()).toMatchObject({ result: 'success', created: 3 });

    await t.patchA(1, { name: 'Renamed in A' });
    expect(await t.run()).toMatchObject({ result: 'success', created: 0, updated: 0, skipped: 3 });
    expect(await t.sent('PUT')).toBe(0);
    expect((await t.inB()).map((r) => r['name'])).not.toContain('Renamed in A');

    await fetch(`${t.A.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 4, name: 'New in A', email: 'new@a.example' }),
    });
    expect(await t.run()).toMatchObject({ created: 1, updated: 0 });
    expect(await t.inB()).toHaveLength(4);
  });
});

describe('update only', () => {
  it('updates the objects B has under the origin’s id and creates nothing', async () => {
    // B already knows people 1 and 2 by the same ids; 3 is not in B.
    const t = await setup('update-only', people(3), [
      { id: 1, name: 'Old one', email: 'old1@b.example' },
      { id: 2, name: 'Old two', email: 'old2@b.example' },
    ]);
    const first = await t.run();
    expect(first).toMatchObject({ result: 'success', created: 0, updated: 2 });
    expect(await t.sent('POST')).toBe(0);
    const b = await t.inB();
    expect(b).toHaveLength(2);
    expect(b.map((r) => r['email']).sort()).toEqual(['person1@example.test', 'person2@example.test']);

    // Unchanged: nothing is sent to B for the two it holds.
    const puts = await t.sent('PUT');
    expect(await t.run()).toMatchObject({ result: 'success', created: 0, updated: 0 });
    expect(await t.sent('PUT')).toBe(puts + 1); // only person 3 is asked again, and B still lacks it
    expect(await t.sent('POST')).toBe(0);
  });
});

describe('mirror', () => {
  it('deletes in B what vanished from A, though the synchronisation says soft deletion', async () => {
    const t = await setup('mirror', people(4), []);
    expect(await t.run()).toMatchObject({ created: 4 });
    await t.deleteA(2);
    expect(await t.run()).toMatchObject({ result: 'success', deleted: 1 });
    expect(await t.sent('DELETE')).toBe(1);
    expect(await t.sent('PATCH')).toBe(0);
    expect(await t.inB()).toHaveLength(3);
  });
});
