// Push: register objects edited through the API arrive in a REST target (json-server) by themselves —
// queued in the outbox with the edit, coalesced per object (five quick edits are one PUT of the last
// version), deletions delivered under the synchronisation's deletion policy, and a change that came in
// from a system never sent back to it while other subscribers get it.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox, runs, synchronisations } from '@/server/db/schema';
import { dispatchRun, embeddedRunnerFor } from '@/server/runner/dispatch';
import { requestObjectRun } from '@/server/services/webhooks';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests, registerToRest } from '../helpers/push-setup';
import { runThroughApi } from '../helpers/sync-setup';

// A window long enough that five edits through the API on a busy machine fall inside it.
process.env.CONCORD_PUSH_DEBOUNCE_MS = '1500';

let db: TestDatabase;
let peer: JsonServer;
let other: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  [peer, other] = await Promise.all([startJsonServer({ people: [] }), startJsonServer({ people: [] })]);
  // The runner the app starts at boot, with the environment's push timing.
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await Promise.all([peer?.stop(), other?.stop()]);
  await db?.close();
});
beforeEach(async () => {
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
});

type Person = { id: string | number; name: string; email: string };
const people = async (server: JsonServer) => (await (await fetch(`${server.url}/people`)).json()) as Person[];
const pending = () => db.db.select().from(outbox);
const pushRuns = (syncId: string) => db.db.select().from(runs).where(eq(runs.synchronisationId, syncId));

/**
 * Switches on a synchronisation into a schema that also pushes back to its system: a pair Concord now
 * refuses to save or enable (services/opposite-syncs.ts), but that organisations may have saved before.
 * Its changes must still never go back to where they came from.
 */
const enabledAsBefore = (syncId: string) =>
  db.db.update(synchronisations).set({ enabled: true }).where(eq(synchronisations.id, syncId));

async function settled(syncId: string) {
  await expect.poll(async () => (await pending()).length, { timeout: 20_000 }).toBe(0);
  await expect
    .poll(async () => (await pushRuns(syncId)).every((r) => r.status === 'finished'), { timeout: 20_000 })
    .toBe(true);
}

/** A synchronisation of the peer's people into the register, disabled (runs are requested by the test). */
const peopleIntoRegister = (
  s: Awaited<ReturnType<typeof registerToRest>>,
  name: string,
  options: { deleteMode?: 'none' } = {},
) =>
  s.api.synchronisations.create({
    orgId: s.orgId,
    name,
    sourceId: s.peer.id,
    sourceEndpoint: '/people',
    targetType: 'register',
    targetRegisterId: s.register.id,
    targetSchemaId: s.schema.id,
    enabled: false,
    ...options,
  });

describe('pushing register changes', () => {
  it('sends a new object once, then five quick edits as one PUT of the last version', async () => {
    const s = await registerToRest(db.db, peer.url);
    const ada = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Ada', email: 'ada@example.test' },
    });
    expect(ada).toMatchObject({ createdBy: s.owner.user.id, updatedBy: s.owner.user.id, version: 1 });
    await expect
      .poll(() => people(peer), { timeout: 20_000 })
      .toEqual([{ id: ada.id, name: 'Ada', email: 'ada@example.test' }]);
    await settled(s.push.id);

    let version = 1;
    for (let i = 1; i <= 5; i++) {
      const row = await s.api.registers.updateObject({
        orgId: s.orgId,
        objectId: ada.id,
        version,
        data: { name: `Ada ${i}`, email: 'ada@example.test' },
      });
      version = row.version;
    }
    // The five edits wait in one outbox row.
    const [row] = await pending();
    expect(row).toMatchObject({ objectId: ada.id, op: 'upsert', changes: 5, originSystemId: null });

    await expect
      .poll(() => people(peer), { timeout: 20_000 })
      .toEqual([{ id: ada.id, name: 'Ada 5', email: 'ada@example.test' }]);
    await settled(s.push.id);
    expect(countRequests(await peer.requests())).toEqual({
      'POST /people': 1,
      [`PUT /people/${ada.id}`]: 1,
    });
    const done = await pushRuns(s.push.id);
    expect(done.map((r) => r.trigger)).toEqual(['push', 'push']);
    expect(done.at(-1)).toMatchObject({ result: 'success', found: 1, updated: 1 });
    expect(done.at(-1)?.message).toMatch(/^1 register change pushed: Created 0, updated 1/);

    const detail = await s.api.registers.object({ orgId: s.orgId, objectId: ada.id });
    expect(detail).toMatchObject({ version: 6, updatedByName: s.owner.user.name, updatedBySyncName: null });
  });

  it('refuses an object the schema does not allow, at its field, and queues nothing', async () => {
    const s = await registerToRest(db.db, peer.url);
    const attempt = s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Bo' },
    });
    await expect(attempt).rejects.toMatchObject({
      message: '“email” is required.',
      cause: { issues: [{ field: 'data.email', message: '“email” is required.' }] },
    });
    expect(await pending()).toEqual([]);
  });

  it('refuses an edit of a version someone changed meanwhile', async () => {
    const s = await registerToRest(db.db, peer.url, { enabled: false });
    const data = { name: 'Cy', email: 'cy@example.test' };
    const cy = await s.api.registers.createObject({ orgId: s.orgId, schemaId: s.schema.id, data });
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: cy.id,
      version: 1,
      data: { ...data, city: 'Delft' },
    });
    const stale = s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: cy.id,
      version: 1,
      data: { ...data, city: 'Gouda' },
    });
    await expect(stale).rejects.toMatchObject({ code: 'CONFLICT', message: /now version 2/ });
    await settled(s.push.id);
  });

  it('deletes a deleted object in the target, and only that one', async () => {
    const s = await registerToRest(db.db, peer.url);
    const made = [];
    for (const name of ['Dee', 'Eve', 'Fay'])
      made.push(
        await s.api.registers.createObject({
          orgId: s.orgId,
          schemaId: s.schema.id,
          data: { name, email: `${name.toLowerCase()}@example.test` },
        }),
      );
    const ids = made.map((m) => m.id);
    await expect
      .poll(async () => (await people(peer)).filter((p) => ids.includes(String(p.id))).length, {
        timeout: 20_000,
      })
      .toBe(3);
    await settled(s.push.id);

    const deleted = await s.api.registers.deleteObject({ orgId: s.orgId, objectId: ids[1]! });
    expect(deleted.deletedAt).not.toBeNull();
    await expect
      .poll(async () => (await people(peer)).filter((p) => ids.includes(String(p.id))).map((p) => p.name), {
        timeout: 20_000,
      })
      .toEqual(['Dee', 'Fay']);
    await settled(s.push.id);
    const counts = countRequests(await peer.requests());
    expect(counts[`DELETE /people/${ids[1]}`]).toBe(1);
    expect(Object.keys(counts).filter((k) => k.startsWith('DELETE'))).toHaveLength(1);
    const last = (await pushRuns(s.push.id)).at(-1)!;
    expect(last).toMatchObject({ result: 'success', deleted: 1 });

    // Each push run has a timeline in its log: what it read from the register, and its deletion phase.
    const timeline = async (runId: string) =>
      (await s.api.runs.timeline({ orgId: s.orgId, runId, pageSize: 50 })).rows.map((e) => ({
        kind: e.kind,
        objects: e.objects,
        detail: e.detail,
      }));
    expect(await timeline(last.id)).toEqual([
      { kind: 'page', objects: 0, detail: '0 changed objects read from the register.' },
      {
        kind: 'deletion-plan',
        objects: 1,
        detail: expect.stringMatching(/^1 of \d+ objects are gone from the source: deleting them/),
      },
    ]);
    const writes = (await pushRuns(s.push.id)).filter((r) => r.created > 0);
    expect(writes.length).toBeGreaterThan(0);
    for (const r of writes)
      expect(await timeline(r.id)).toEqual([
        { kind: 'page', objects: r.created, detail: expect.stringMatching(/ read from the register\.$/) },
      ]);
  });

  it('leaves deleted objects in the target when the deletion policy is none', async () => {
    const s = await registerToRest(db.db, peer.url, { deleteMode: 'none' });
    const gus = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Gus', email: 'gus@example.test' },
    });
    await expect
      .poll(async () => (await people(peer)).some((p) => p.id === gus.id), { timeout: 20_000 })
      .toBe(true);
    await settled(s.push.id);
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: gus.id });
    await expect.poll(async () => (await pushRuns(s.push.id)).length, { timeout: 20_000 }).toBe(2);
    await settled(s.push.id);
    expect((await people(peer)).some((p) => p.id === gus.id)).toBe(true);
    expect((await pushRuns(s.push.id)).at(-1)?.message).toMatch(/the deletion policy is to delete nothing/);
  });

  it('never sends a change back to the system it came from, and sends it to the other subscribers', async () => {
    // The peer is both where people come from (an inbound synchronisation into the register) and a
    // push target; `other` is a second push target.
    const s = await registerToRest(db.db, peer.url);
    const toOther = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Other API',
      type: 'rest',
      config: { baseUrl: other.url },
    });
    const pushToOther = await s.api.synchronisations.create({
      orgId: s.orgId,
      name: 'Directory to the Other API',
      sourceId: s.registerSource.id,
      targetType: 'source',
      targetSourceId: toOther.id,
      targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
    });
    const inbound = await peopleIntoRegister(s, 'People API into the directory', { deleteMode: 'none' });
    await enabledAsBefore(inbound.id);
    await fetch(`${peer.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 9001, name: 'Hal', email: 'hal@example.test' }),
    });
    await fetch(`${peer.url}/__requests`, { method: 'DELETE' });

    const run = await runThroughApi(s.api, s.orgId, inbound.id);
    expect(run).toMatchObject({ result: 'success', created: expect.any(Number) as number });
    await expect
      .poll(async () => (await people(other)).map((p) => p.name), { timeout: 20_000 })
      .toContain('Hal');
    await settled(pushToOther.id);
    await settled(s.push.id);
    // The peer was only read: nothing was written back to it.
    expect(countRequests(await peer.requests())).toEqual({});
    expect(await pushRuns(s.push.id)).toEqual([]);
    const [hal] = (await s.api.registers.objects({ orgId: s.orgId, schemaId: s.schema.id, search: 'hal' }))
      .rows;
    expect(hal).toMatchObject({
      updatedBy: null,
      updatedBySync: inbound.id,
      updatedBySyncName: inbound.name,
    });

    // The object names its writer by the synchronisation's number, which outlives it: once deleted,
    // the writer is "a synchronisation since deleted", and no synchronisation made later takes it.
    const writer = hal!.updatedBySyncSeq;
    expect(writer).toEqual(expect.any(Number));
    await s.api.synchronisations.delete({ orgId: s.orgId, syncId: inbound.id });
    const later = await peopleIntoRegister(s, 'Made after the deletion');
    const [{ seq }] = (await db.db
      .select({ seq: synchronisations.seq })
      .from(synchronisations)
      .where(eq(synchronisations.id, later.id))) as [{ seq: number }];
    expect(seq).toBeGreaterThan(writer!);
    const [after] = (await s.api.registers.objects({ orgId: s.orgId, schemaId: s.schema.id, search: 'hal' }))
      .rows;
    expect(after).toMatchObject({
      updatedBySyncSeq: writer,
      updatedBySync: null,
      updatedBySyncName: null,
    });
  });

  it('pushes an object that arrived by webhook to the subscribers, not back to where it came from', async () => {
    const s = await registerToRest(db.db, peer.url);
    const toOther = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Other API',
      type: 'rest',
      config: { baseUrl: other.url },
    });
    const pushToOther = await s.api.synchronisations.create({
      orgId: s.orgId,
      name: 'Directory to the Other API',
      sourceId: s.registerSource.id,
      targetType: 'source',
      targetSourceId: toOther.id,
      targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
    });
    // The People API pushes its people into the register by webhook.
    const inbound = await peopleIntoRegister(s, 'People API by webhook');
    await enabledAsBefore(inbound.id);
    const object = { id: 'web-1', name: 'Ida', email: 'ida@example.test' };
    // What POST /api/webhooks/{syncId} does with one object.
    const run = await requestObjectRun(db.db, inbound, object);
    await dispatchRun(db.db, { ...run, object });

    await expect
      .poll(async () => (await people(other)).filter((p) => p.name === 'Ida'), { timeout: 20_000 })
      .toEqual([expect.objectContaining({ id: 'web-1', email: 'ida@example.test' })]);
    await settled(pushToOther.id);
    await settled(s.push.id);
    expect(countRequests(await peer.requests())).toEqual({});
    expect(await pushRuns(s.push.id)).toEqual([]);
  });
});
