// What a push delivers under each write mode, and how a refusal of the REST target is kept: the
// register (objects edited through the API) pushed to json-server by itself, counted from the
// requests json-server received. Insert only never updates, update only never creates, a mirror
// deletes whatever the deletion policy says; a 422 is rejected and sent again only once the object
// changes, a 503 stays failed and the next run sends it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import type { WriteMode } from '@/server/sync/core/write-mode';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests, registerToRest } from '../helpers/push-setup';
import { runThroughApi } from '../helpers/sync-setup';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '300';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: [] });
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});
beforeEach(async () => {
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
  await fetch(`${peer.url}/__faults`, { method: 'DELETE' });
  for (const p of await people()) await fetch(`${peer.url}/people/${p.id}`, { method: 'DELETE' });
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
});

type Person = { id: string | number; name: string; email: string };
const people = async () => (await (await fetch(`${peer.url}/people`)).json()) as Person[];
const writes = async () => countRequests(await peer.requests());

async function pushing(writeMode: WriteMode, deleteMode: 'none' | 'hard' = 'hard') {
  const s = await registerToRest(db.db, peer.url, { writeMode, deleteMode, deleteThreshold: 1 });
  const contract = async (originId: string) =>
    (await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id, pageSize: 50 })).rows.find(
      (c) => c.originId === originId,
    );
  /** Waits until the outbox is empty and every run of the push has ended. */
  const settled = async () => {
    await expect.poll(async () => (await db.db.select().from(outbox)).length, { timeout: 20_000 }).toBe(0);
    await expect
      .poll(
        async () => {
          const list = await s.api.runs.list({ orgId: s.orgId, syncId: s.push.id });
          return list.every(({ run }) => run.status === 'finished' || run.status === 'cancelled');
        },
        { timeout: 20_000 },
      )
      .toBe(true);
  };
  const create = (name: string) =>
    s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name, email: `${name.toLowerCase()}@example.test` },
    });
  const rename = (object: { id: string; version: number }, name: string) =>
    s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: object.id,
      version: object.version,
      data: { name, email: `${name.toLowerCase()}@example.test` },
    });
  return { s, contract, settled, create, rename };
}

describe('write modes of a push', () => {
  it('insert only: a new object is created, an edit of it sends nothing', async () => {
    const t = await pushing('insert-only');
    const ada = await t.create('Ada');
    await expect.poll(people, { timeout: 20_000 }).toHaveLength(1);
    await t.settled();
    await t.rename(ada, 'Adeline');
    await t.settled();
    expect(await writes()).toEqual({ 'POST /people': 1 });
    expect((await people()).map((p) => p.name)).toEqual(['Ada']);
    // The edit was delivered, as a push run that left the written object alone.
    const [last] = await t.s.api.runs.list({ orgId: t.s.orgId, syncId: t.s.push.id });
    expect(last?.run).toMatchObject({ trigger: 'push', found: 1, skipped: 1, updated: 0 });
  });

  it('update only: a new object is not created in the target', async () => {
    const t = await pushing('update-only');
    const bea = await t.create('Bea');
    await t.settled();
    await t.rename(bea, 'Beatrice');
    await t.settled();
    expect(await people()).toEqual([]);
    // Each version was offered as an update of the object the target might hold (it answered 404).
    expect(await writes()).toEqual({ [`PUT /people/${bea.id}`]: 2 });
  });

  it('mirror: a deleted object is deleted in the target though the policy says keep', async () => {
    const t = await pushing('mirror', 'none');
    const cy = await t.create('Cy');
    await expect.poll(people, { timeout: 20_000 }).toHaveLength(1);
    await t.settled();
    await t.s.api.registers.deleteObject({ orgId: t.s.orgId, objectId: cy.id });
    await expect.poll(people, { timeout: 20_000 }).toEqual([]);
    await t.settled();
    expect(await writes()).toEqual({ 'POST /people': 1, [`DELETE /people/${cy.id}`]: 1 });
  });
});

describe('refusals of the target during a push', () => {
  it('a 422 is rejected and not sent again until the object changes', async () => {
    const t = await pushing('upsert');
    await peer.faults([
      { path: '/people', method: 'POST', status: 422, body: { error: 'email is taken' }, times: 1 },
    ]);
    const dee = await t.create('Dee');
    await expect.poll(async () => (await t.contract(dee.id))?.status, { timeout: 20_000 }).toBe('rejected');
    await t.settled();
    // A full run does not send the rejected version again.
    expect(await runThroughApi(t.s.api, t.s.orgId, t.s.push.id)).toMatchObject({ created: 0, failed: 0 });
    expect(await writes()).toEqual({ 'POST /people': 1 });
    // Changed, it is sent again and lands.
    await t.rename(dee, 'Deedee');
    await expect.poll(people, { timeout: 20_000 }).toEqual([expect.objectContaining({ name: 'Deedee' })]);
    await t.settled();
    expect(await writes()).toEqual({ 'POST /people': 2 });
  });

  it('a 503 that outlasts the retries stays failed, and the next run sends it', async () => {
    const t = await pushing('upsert');
    await peer.faults([{ path: '/people', method: 'POST', status: 503, body: { error: 'down' }, times: 20 }]);
    const eve = await t.create('Eve');
    await expect.poll(async () => (await t.contract(eve.id))?.status, { timeout: 30_000 }).toBe('failed');
    await t.settled();
    await fetch(`${peer.url}/__faults`, { method: 'DELETE' });
    expect(await runThroughApi(t.s.api, t.s.orgId, t.s.push.id)).toMatchObject({ created: 1, failed: 0 });
    expect(await people()).toEqual([expect.objectContaining({ name: 'Eve' })]);
    expect((await t.contract(eve.id))?.status).toBe('synced');
  });
});
