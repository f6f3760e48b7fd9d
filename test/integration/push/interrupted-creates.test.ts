// Creates written ahead (targets/create-intents.ts) against a real REST system (json-server) and the
// real intents table: what an interrupted attempt left behind decides whether the next one sends.
// The moment itself — a process killed between the POST landing and its answer — is in
// test/e2e/push-kill-mid-write.spec.ts; here the leftovers of such a moment are laid down by hand.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIntents } from '@/server/db/schema';
import { createIntentStore } from '@/server/sync/stores/create-intents';
import { guardCreates } from '@/server/sync/targets/create-intents';
import { createRestTarget } from '@/server/sync/targets/rest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { restTargetConfigSchema } from '@/server/sync/config/sync-config';
import { restSourceConfig } from '@/server/sync/config/source-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests, PEOPLE_TARGET, registerToRest } from '../helpers/push-setup';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: [] });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});
beforeEach(async () => {
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
  for (const person of (await (await fetch(`${peer.url}/people`)).json()) as { id: string }[])
    await fetch(`${peer.url}/people/${person.id}`, { method: 'DELETE' });
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
});

const origin = { systemId: 'register', syncId: 'x', runId: 'run_2' };

async function guarded(config: RestTargetConfigInput) {
  const s = await registerToRest(db.db, peer.url);
  const rest = createRestTarget({
    systemId: s.peer.id,
    source: restSourceConfig.parse({ baseUrl: peer.url }),
    secrets: {},
    target: restTargetConfigSchema.parse(config),
    urlPolicy: { allowPrivateNetworks: true },
    http: { retry: { maxAttempts: 1 } },
  });
  const store = createIntentStore(db.db, {
    orgId: s.orgId,
    syncId: s.push.id,
    systemId: s.peer.id,
    runId: 'run_2',
  });
  return { s, store, target: guardCreates(rest, store), close: () => rest.close() };
}

const post = (body: object) =>
  fetch(`${peer.url}/people`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json() as Promise<{ id: string | number }>);

describe('a create an interrupted attempt may have made', () => {
  it('is found by the id it was created with, and adopted without a second POST', async () => {
    const g = await guarded(PEOPLE_TARGET);
    // The first attempt: written ahead, and the POST landed; the answer never came back.
    await g.store.sending([{ originId: 'ada', idempotencyKey: 'sync:run_1:ada' }]);
    await post({ id: 'obj_ada', name: 'Ada', email: 'ada@example.test' });
    await fetch(`${peer.url}/__requests`, { method: 'DELETE' });

    const [result] = await g.target.create([
      {
        originId: 'ada',
        object: { id: 'obj_ada', name: 'Ada', email: 'ada@example.test' },
        idempotencyKey: 'sync:run_2:ada',
        origin,
        page: 1,
      },
    ]);
    expect(result).toMatchObject({ ok: true, targetId: 'obj_ada' });
    expect(countRequests(await peer.requests())).toEqual({});
    const [row] = await db.db.select().from(createIntents);
    expect(row).toMatchObject({ originId: 'ada', state: 'sent', targetId: 'obj_ada' });
    await g.close();
  });

  it('is looked up by its match field where the system assigns ids; sent again, under the first key, when absent', async () => {
    const g = await guarded({ ...PEOPLE_TARGET, match: { field: 'email' } });
    await g.store.sending([
      { originId: 'ada', idempotencyKey: 'sync:run_1:ada' },
      { originId: 'bob', idempotencyKey: 'sync:run_1:bob' },
    ]);
    const landed = await post({ name: 'Ada', email: 'ada@example.test' });
    await fetch(`${peer.url}/__requests`, { method: 'DELETE' });

    const results = await g.target.create(
      ['ada', 'bob'].map((name) => ({
        originId: name,
        object: { name, email: `${name}@example.test` },
        idempotencyKey: `sync:run_2:${name}`,
        origin,
        page: 1,
      })),
    );
    expect(results[0]).toMatchObject({ ok: true, targetId: String(landed.id) });
    expect(results[1]).toMatchObject({ ok: true });
    const writes = (await peer.requests()).filter((r) => r.method === 'POST');
    expect(writes).toEqual([expect.objectContaining({ idempotencyKey: 'sync:run_1:bob' })]);
    const emails = ((await (await fetch(`${peer.url}/people`)).json()) as { email: string }[]).map(
      (p) => p.email,
    );
    expect(emails.sort()).toEqual(['ada@example.test', 'bob@example.test']);
    await g.close();
  });

  it('is refused, for a person, when the system holds it more than once', async () => {
    const g = await guarded({ ...PEOPLE_TARGET, match: { field: 'email' } });
    await g.store.sending([{ originId: 'ada', idempotencyKey: 'k1' }]);
    await post({ name: 'Ada', email: 'ada@example.test' });
    await post({ name: 'Ada again', email: 'ada@example.test' });
    await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
    const [result] = await g.target.create([
      {
        originId: 'ada',
        object: { name: 'Ada', email: 'ada@example.test' },
        idempotencyKey: 'k2',
        origin,
        page: 1,
      },
    ]);
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringContaining('2 objects with the same email'),
    });
    expect(countRequests(await peer.requests())).toEqual({});
    await g.close();
  });

  it('is tried later, not sent, when the system cannot be asked', async () => {
    const g = await guarded({ ...PEOPLE_TARGET, match: { field: 'email' } });
    await g.store.sending([{ originId: 'ada', idempotencyKey: 'k1' }]);
    await peer.faults([{ path: '/people', method: 'GET', status: 503, times: 5 }]);
    const [result] = await g.target.create([
      {
        originId: 'ada',
        object: { name: 'Ada', email: 'ada@example.test' },
        idempotencyKey: 'k2',
        origin,
        page: 1,
      },
    ]);
    await peer.clearFaults();
    expect(result).toMatchObject({ ok: false, transient: true });
    expect(countRequests(await peer.requests())).toEqual({});
    await g.close();
  });
});
