// What json-server B receives from a REST target, through the API: with "send only changed fields" an
// update is a PATCH of just what changed (a removed field as null); a POST or PATCH that meets a 5xx is
// tried again within the run (a POST with the same Idempotency-Key), so the run ends with nothing failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
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

async function setup(count: number, target: RestTargetConfigInput) {
  const [A, B] = await Promise.all([
    startJsonServer({ people: people(count) }),
    startJsonServer({ people: [] }),
  ]);
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, target);
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const edit = (id: number, method: string, body?: unknown) =>
    fetch(`${A.url}/people/${id}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const targetIdOf = async (originId: string) =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 })).rows.find(
      (c) => c.originId === originId,
    )?.targetId;
  return { A, B, s, run, edit, targetIdOf };
}

describe('send only changed fields', () => {
  it('sends an update as a PATCH of the changed field alone, and a removed field as null', async () => {
    const t = await setup(3, { ...TARGET, sendChangedFields: true });
    expect(await t.run()).toMatchObject({ result: 'success', created: 3 });
    const id2 = await t.targetIdOf('2');

    await t.edit(2, 'PATCH', { name: 'Person two' });
    expect(await t.run()).toMatchObject({ result: 'success', updated: 1, skipped: 2 });
    const writes = (await t.B.requests()).filter((r) => r.method !== 'GET' && r.method !== 'POST');
    expect(writes).toEqual([
      expect.objectContaining({ method: 'PATCH', url: `/people/${id2}`, body: { name: 'Person two' } }),
    ]);
    // B merged it into what it held.
    const held = (await (await fetch(`${t.B.url}/people/${id2}`)).json()) as Record<string, unknown>;
    expect(held).toMatchObject({ name: 'Person two', email: 'person2@example.test', city: 'Utrecht' });

    // A's person 3 loses its address: the mapped object has no city any more.
    await t.edit(3, 'PUT', { id: 3, name: 'Person 3', email: 'person3@example.test' });
    expect(await t.run()).toMatchObject({ result: 'success', updated: 1 });
    const last = (await t.B.requests()).filter((r) => r.method === 'PATCH').at(-1);
    expect(last?.body).toEqual({ city: null });
  });

  it('sends the whole object (PUT) when the option is off', async () => {
    const t = await setup(2, TARGET);
    expect(await t.run()).toMatchObject({ created: 2 });
    await t.edit(1, 'PATCH', { name: 'Person one' });
    expect(await t.run()).toMatchObject({ updated: 1 });
    const put = (await t.B.requests()).find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({ name: 'Person one', email: 'person1@example.test', city: 'Leiden' });
  });
});

describe('switching "send only changed fields" on later', () => {
  it('sends nothing for the switch; the next change is a whole update, the one after a patch', async () => {
    const t = await setup(2, TARGET);
    expect(await t.run()).toMatchObject({ created: 2 });
    await t.s.api.synchronisations.update({
      orgId: t.s.orgId,
      syncId: t.s.sync.id,
      ...t.s.input,
      targetConfig: { ...TARGET, sendChangedFields: true },
    });
    const writes = async () => (await t.B.requests()).filter((r) => r.method !== 'GET');
    const before = (await writes()).length;
    expect(await t.run()).toMatchObject({ result: 'success', updated: 0, skipped: 2 });
    expect(await writes()).toHaveLength(before);

    await t.edit(1, 'PATCH', { name: 'Person one' });
    expect(await t.run()).toMatchObject({ updated: 1 });
    const whole = (await writes()).at(-1);
    expect(whole?.method).toBe('PUT');
    expect(whole?.body).toEqual({ name: 'Person one', email: 'person1@example.test', city: 'Leiden' });
    await t.edit(1, 'PATCH', { email: 'one@example.test' });
    expect(await t.run()).toMatchObject({ updated: 1 });
    const patch = (await writes()).at(-1);
    expect(patch?.method).toBe('PATCH');
    expect(patch?.body).toEqual({ email: 'one@example.test' });
  });
});

describe('transient failures within the run', () => {
  it('tries a POST again after a 503, with the same Idempotency-Key, and creates each object once', async () => {
    const t = await setup(3, TARGET);
    await t.B.faults([{ path: '/people', method: 'POST', status: 503, times: 2 }]);
    expect(await t.run()).toMatchObject({ result: 'success', created: 3, failed: 0 });
    const posts = (await t.B.requests()).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(5);
    // Three objects, three keys: the repeats carried the key of their first attempt.
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(3);
    await expect.poll(() => t.B.read()['people']).toHaveLength(3);
  });

  it('tries a PATCH update again after a 502', async () => {
    const t = await setup(2, { ...TARGET, updateMethod: 'PATCH' });
    expect(await t.run()).toMatchObject({ created: 2 });
    const id1 = await t.targetIdOf('1');
    await t.edit(1, 'PATCH', { name: 'Person one' });
    await t.B.faults([{ path: `/people/${id1}`, method: 'PATCH', status: 502, times: 1 }]);
    expect(await t.run()).toMatchObject({ result: 'success', updated: 1, failed: 0 });
    expect((await t.B.requests()).filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });

  it('rejects a 409 at once, without trying again', async () => {
    const t = await setup(2, TARGET);
    await t.B.faults([
      { path: '/people', method: 'POST', status: 409, body: { error: 'duplicate' }, whenBodyHas: 'person1@' },
    ]);
    expect(await t.run()).toMatchObject({ result: 'warning', created: 1, failed: 1 });
    const posts = (await t.B.requests()).filter((r) => r.method === 'POST');
    expect(posts.filter((r) => JSON.stringify(r.body).includes('person1@'))).toHaveLength(1);
    const { rows } = await t.s.api.contracts.list({ orgId: t.s.orgId, syncId: t.s.sync.id, pageSize: 10 });
    expect(rows.find((c) => c.originId === '1')).toMatchObject({
      status: 'rejected',
      lastError: expect.stringContaining('409'),
    });
  });
});
