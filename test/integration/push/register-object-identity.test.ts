// One register object ↔ one contract ↔ one target object, whatever id the objects' data carries. A
// register source hands a sync each object's data, whose own `id` is the origin id: a second object
// with the same data id must not take over the first's target object (it is refused, in push runs and
// listings alike), and an object whose data id changes keeps its contract and its target object (updated,
// not created again). Driven through the public API against json-server, the pushes by the embedded
// runner's outbox as in production.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contracts, ofSynchronisation, outbox, runs } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { registerToRest } from '../helpers/push-setup';
import { runThroughApi } from '../helpers/sync-setup';
import { apiClient, useDatabase } from '../api-v1/client';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '300';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: [] });
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer?.stop();
  await db?.close();
});
beforeEach(async () => {
  // Each test its own people: the peer starts empty.
  for (const p of await people()) await fetch(`${peer.url}/people/${p.id}`, { method: 'DELETE' });
});

type Person = { id: string | number; name: string; email: string };
const people = async () => (await (await fetch(`${peer.url}/people`)).json()) as Person[];

async function setup() {
  const s = await registerToRest(db.db, peer.url);
  const key = await s.api.apiKeys.create({ orgId: s.orgId, name: 'Hub', scopes: ['read', 'write'] });
  return { ...s, http: apiClient(key.key) };
}
type Setup = Awaited<ReturnType<typeof setup>>;

async function create(s: Setup, data: Record<string, unknown>) {
  const { data: object, response } = await s.http.POST('/schemas/{schemaId}/objects', {
    params: { path: { schemaId: s.schema.id } },
    body: data,
  });
  expect(response.status).toBe(201);
  return object!;
}

async function replace(s: Setup, objectId: string, data: Record<string, unknown>) {
  const { response } = await s.http.PUT('/objects/{objectId}', {
    params: { path: { objectId } },
    body: data,
  });
  expect(response.status).toBe(200);
}

/** Waits for the outbox to drain and the synchronisation's runs to end; its push runs, oldest first. */
async function pushed(syncId: string) {
  const all = () => db.db.select().from(runs).where(eq(runs.synchronisationId, syncId));
  await expect.poll(async () => (await db.db.select().from(outbox)).length, { timeout: 20_000 }).toBe(0);
  await expect
    .poll(async () => (await all()).every((r) => r.finishedAt !== null), { timeout: 20_000 })
    .toBe(true);
  return (await all()).filter((r) => r.trigger === 'push').sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

async function entries(s: Setup, runId: string) {
  const { data } = await s.http.GET('/runs/{runId}/entries', { params: { path: { runId } } });
  return data!.items.map((e) => ({ originId: e.originId, action: e.action, reason: e.reason }));
}

async function registerObjects(s: Setup) {
  const { data } = await s.http.GET('/schemas/{schemaId}/objects', {
    params: { path: { schemaId: s.schema.id } },
  });
  return data!.items.map((o) => ({ id: o.id, data: o.data })).sort((a, b) => a.id.localeCompare(b.id));
}

const contractsOf = (syncId: string) =>
  db.db
    .select({
      originId: contracts.originId,
      originObject: contracts.originObject,
      targetId: contracts.targetId,
    })
    .from(contracts)
    .where(ofSynchronisation(syncId));

describe('register objects that share or change their data id', () => {
  it('refuses a second object with the same id instead of overwriting the first one at the target', async () => {
    const s = await setup();
    const hedy = await create(s, { id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' });
    expect((await pushed(s.push.id)).map((r) => r.result)).toEqual(['success']);
    expect(await people()).toEqual([{ id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' }]);

    const impostor = await create(s, { id: '10', name: 'Impostor Person', email: 'impostor@example.test' });
    const runsNow = await pushed(s.push.id);
    expect(runsNow).toHaveLength(2);
    const refusal = runsNow[1]!;
    // The peer still holds Hedy, and only her.
    expect(await people()).toEqual([{ id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' }]);
    expect(refusal.result).toBe('error');
    expect(refusal.message).toMatch(/^1 register change pushed: .*Nothing was synchronised: 1 invalid/);
    expect(await entries(s, refusal.id)).toEqual([
      {
        originId: '10',
        action: 'invalid',
        reason:
          `Register object ${impostor.id} has the same id "10" as register object ${hedy.id}, already ` +
          'synchronised as target object "10": give one of them another id. Nothing was written for it.',
      },
    ]);
    // The register holds both; the contract is Hedy's.
    expect((await registerObjects(s)).map((o) => o.id)).toEqual([hedy.id, impostor.id].sort());
    expect(await contractsOf(s.push.id)).toEqual([{ originId: '10', originObject: hedy.id, targetId: '10' }]);

    // Hedy's own edits still go out; the impostor, given another id, goes out as its own object.
    await replace(s, hedy.id, { id: '10', name: 'Hedy Kiesler', email: 'hedy@example.test' });
    await pushed(s.push.id);
    await replace(s, impostor.id, { id: '11', name: 'Impostor Person', email: 'impostor@example.test' });
    await pushed(s.push.id);
    expect((await people()).map((p) => [p.id, p.name])).toEqual([
      ['10', 'Hedy Kiesler'],
      ['11', 'Impostor Person'],
    ]);

    // Deleting an object that never got the id's contract deletes nothing of the other's.
    const third = await create(s, { id: '10', name: 'Third', email: 'third@example.test' });
    await pushed(s.push.id);
    const { response } = await s.http.DELETE('/objects/{objectId}', {
      params: { path: { objectId: third.id } },
    });
    expect(response.status).toBe(204);
    await pushed(s.push.id);
    expect((await people()).map((p) => p.name)).toEqual(['Hedy Kiesler', 'Impostor Person']);
  });

  it('tells a contract recorded before contracts named their object by what it was made from', async () => {
    const s = await setup();
    const hedy = await create(s, { id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' });
    await pushed(s.push.id);
    // As every push contract written before migration 0056.
    await db.db.update(contracts).set({ originObject: null }).where(ofSynchronisation(s.push.id));
    const impostor = await create(s, { id: '10', name: 'Impostor Person', email: 'impostor@example.test' });
    const [, refusal] = await pushed(s.push.id);
    expect(await people()).toEqual([{ id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' }]);
    expect((await entries(s, refusal!.id)).map((e) => e.reason)).toEqual([
      expect.stringContaining(
        `Register object ${impostor.id} has the same id "10" as register object ${hedy.id}`,
      ),
    ]);
  });

  it('refuses the repeat in a listing too, also when it is listed before the object that owns the contract', async () => {
    const s = await setup();
    // Paused while the impostor is made (changes made while paused are never delivered): only a
    // listing finds it, and it comes first in the listing's order (object ids, in creation order).
    const paused = (on: boolean) =>
      s.api.hub.setUnsubscribe({
        orgId: s.orgId,
        syncId: s.push.id,
        unsubscribe: { paused: on, objectIds: [], fields: [] },
      });
    await paused(true);
    const impostor = await create(s, { id: '10', name: 'Impostor Person', email: 'impostor@example.test' });
    await pushed(s.push.id);
    await paused(false);
    const hedy = await create(s, { id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' });
    await pushed(s.push.id);
    expect(impostor.id < hedy.id).toBe(true);
    expect(await people()).toEqual([{ id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' }]);
    const run = await runThroughApi(s.api, s.orgId, s.push.id);
    expect(run).toMatchObject({ found: 2, invalid: 1, updated: 0, created: 0, deleted: 0 });
    expect(await people()).toEqual([{ id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' }]);
    expect((await entries(s, run.id)).map((e) => e.reason)).toEqual([
      expect.stringContaining(
        `Register object ${impostor.id} has the same id "10" as register object ${hedy.id}`,
      ),
    ]);
  });

  it("refuses an id change to another object's id, and a listing keeps the object's own target object", async () => {
    const s = await setup();
    const hedy = await create(s, { id: '10', name: 'Hedy Lamarr', email: 'hedy@example.test' });
    const grace = await create(s, { id: '20', name: 'Grace Hopper', email: 'grace@example.test' });
    await pushed(s.push.id);
    await replace(s, grace.id, { id: '10', name: 'Grace Hopper', email: 'grace@example.test' });
    const last = (await pushed(s.push.id)).at(-1)!;
    expect((await entries(s, last.id)).map((e) => e.reason)).toEqual([
      `Register object ${grace.id}'s id changed from "20" to "10", which register object ${hedy.id}'s ` +
        'contract holds (synchronised as target object "10"): give it another id. Its own target object stays as it was.',
    ]);
    // A complete listing deletes nothing: Grace's target object is still hers.
    const run = await runThroughApi(s.api, s.orgId, s.push.id);
    expect(run).toMatchObject({ found: 2, invalid: 1, updated: 0, deleted: 0 });
    expect((await people()).map((p) => [p.id, p.name])).toEqual([
      ['10', 'Hedy Lamarr'],
      ['20', 'Grace Hopper'],
    ]);
  });

  it('keeps an object whose data id changed on its own target object: updated, not created again', async () => {
    const s = await setup();
    const ada = await create(s, { id: 1, name: 'Ada Lovelace', email: 'ada@example.test' });
    await pushed(s.push.id);
    expect(await people()).toEqual([{ id: 1, name: 'Ada Lovelace', email: 'ada@example.test' }]);

    // As a conflict resolution may: the object's data id becomes another.
    await replace(s, ada.id, { id: 'b2', name: 'Ada Lovelace', email: 'ada@lovelace.test' });
    const [, moved] = await pushed(s.push.id);
    expect(moved!.result).toBe('success');
    expect(moved).toMatchObject({ updated: 1, created: 0 });
    // One Ada at the peer, at her target object (json-server keeps the id of the path it was PUT to).
    expect(await people()).toEqual([{ id: 1, name: 'Ada Lovelace', email: 'ada@lovelace.test' }]);
    expect(await contractsOf(s.push.id)).toEqual([{ originId: 'b2', originObject: ada.id, targetId: '1' }]);

    // A full listing agrees: nothing to create, nothing to delete.
    const listing = await runThroughApi(s.api, s.orgId, s.push.id);
    expect(listing).toMatchObject({ found: 1, created: 0, deleted: 0 });
    expect(await people()).toHaveLength(1);
  });
});
