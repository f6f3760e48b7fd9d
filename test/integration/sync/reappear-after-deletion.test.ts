// A record deleted at the source and then back (the outside trial's repro): json-server people pulled
// into the register, person 7 deleted at the peer, a run, person 7 posted again, a run. Soft deletion
// (the default policy) keeps the register object, so the record comes back as THAT object — restored,
// version + 1, the new data, the same contract — never as a second object for origin 7. Hard deletion
// leaves nothing to restore: a new object is then right, and each run's log still names the object
// that run touched (the runs' changed objects and Find an object's runs), not the contract's latest.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, ofSynchronisation } from '@/server/db/schema';
import { objectChangesAfter } from '@/server/services/object-changes';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const SEVEN_AGAIN = {
  id: 7,
  name: 'Person 7 again',
  email: 'seven@example.test',
  address: { city: 'Delft' },
};

/** A peer of 30 people, a pull into the register with this deletion mode, and the repro's steps. */
function repro(deleteMode?: 'soft' | 'hard', writeMode?: 'insert-only') {
  let peer: JsonServer;
  let s: Awaited<ReturnType<typeof restToRegister>>;
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${peer.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ctx = {
    get s() {
      return s;
    },
    run: () => runThroughApi(s.api, s.orgId, s.sync.id),
    send,
    async contract(originId: string) {
      const [row] = await db.db
        .select(contractReadColumns)
        .from(contracts)
        .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, originId)));
      return row!;
    },
    /** Every object of the schema, deleted ones included. */
    async objects() {
      const page = await s.api.registers.objects({
        orgId: s.orgId,
        schemaId: s.schema.id,
        includeDeleted: true,
        pageSize: 200,
      });
      return page.rows;
    },
    /** The objects a run's log lists for an origin id: [action, register object id]. */
    async logged(runId: string, originId: string) {
      const listed = await s.api.history.runObjects({ orgId: s.orgId, runId, pageSize: 200 });
      return listed.rows.filter((r) => r.originId === originId).map((r) => [r.action, r.targetId]);
    },
    /** Find an object's runs: [run id, actions] newest first. */
    async runsOf(objectId: string) {
      const found = await s.api.history.object({ orgId: s.orgId, objectId });
      return found.runs.map((r) => [r.id, [...r.actions].sort()]);
    },
  };
  beforeAll(async () => {
    peer = await startJsonServer({ people: people(30) });
    s = await restToRegister(db.db, peer.url, {
      ...(deleteMode ? { deleteMode } : {}),
      ...(writeMode ? { writeMode } : {}),
    });
  });
  afterAll(async () => {
    await peer.stop();
  });
  return ctx;
}

describe('a record back after a soft deletion (the default policy)', () => {
  const t = repro();
  const runIds: Record<string, string> = {};
  let objA = '';
  let feedBefore = 0;

  it('pulls 30 people, then soft deletes person 7’s object when the peer deletes it', async () => {
    const first = await t.run();
    expect(first).toMatchObject({ result: 'success', created: 30 });
    runIds.first = first.id;
    objA = (await t.contract('7')).targetId!;
    expect(objA).toMatch(/^obj_/);

    expect((await t.send('DELETE', '/people/7')).status).toBe(200);
    const deletion = await t.run();
    expect(deletion).toMatchObject({ deleted: 1 });
    runIds.deletion = deletion.id;
    const detail = await t.s.api.registers.object({ orgId: t.s.orgId, objectId: objA });
    expect(detail.deletedAt).not.toBeNull();
    feedBefore = (await objectChangesAfter(db.db, t.s.orgId, t.s.schema.id, 0, 1000)).lastSeq;
  });

  it('restores the same object when person 7 comes back: one object for origin 7, version 2, the new data', async () => {
    expect((await t.send('POST', '/people', SEVEN_AGAIN)).status).toBe(201);
    const back = await t.run();
    expect(back).toMatchObject({ result: 'success' });
    runIds.back = back.id;

    // The schema holds 30 objects, deleted ones included: none was added for person 7.
    const all = await t.objects();
    expect(all).toHaveLength(30);
    expect(all.filter((o) => o.deletedAt !== null)).toEqual([]);
    const detail = await t.s.api.registers.object({ orgId: t.s.orgId, objectId: objA });
    expect(detail).toMatchObject({
      deletedAt: null,
      version: 2,
      data: { name: 'Person 7 again', email: 'seven@example.test', city: 'Delft' },
    });
    // Its contract goes on pointing at it, synced.
    expect(await t.contract('7')).toMatchObject({ targetId: objA, status: 'synced' });

    // The change feed after the deletion: obj_A again, upserted — no new object.
    const feed = await objectChangesAfter(db.db, t.s.orgId, t.s.schema.id, feedBefore, 1000);
    expect(feed.changes.map((c) => [c.change.objectId, c.change.op, c.object?.version])).toEqual([
      [objA, 'upsert', 2],
    ]);
  });

  it('is unchanged on the next run', async () => {
    const again = await t.run();
    expect(again).toMatchObject({ result: 'success', created: 0, updated: 0, skipped: 30 });
    expect(await t.objects()).toHaveLength(30);
  });

  it('names obj_A in every run’s log of origin 7, and Find an object’s runs finds them by its id', async () => {
    expect(await t.logged(runIds.first!, '7')).toEqual([['create', objA]]);
    expect(await t.logged(runIds.deletion!, '7')).toEqual([['delete', objA]]);
    expect(await t.logged(runIds.back!, '7')).toEqual([['create', objA]]);
    const expected = [
      [runIds.back, ['create']],
      [runIds.deletion, ['delete']],
      [runIds.first, ['create']],
    ];
    expect(await t.runsOf(objA)).toEqual(expected);
    expect(await t.runsOf('7')).toEqual(expected);
  });
});

describe('a record back after a hard deletion', () => {
  const t = repro('hard');
  const runIds: Record<string, string> = {};
  let objA = '';
  let objB = '';

  it('creates a new object for person 7: the first was deleted for good', async () => {
    const first = await t.run();
    expect(first).toMatchObject({ result: 'success', created: 30 });
    runIds.first = first.id;
    objA = (await t.contract('7')).targetId!;

    await t.send('DELETE', '/people/7');
    const deletion = await t.run();
    expect(deletion).toMatchObject({ deleted: 1 });
    runIds.deletion = deletion.id;
    expect(await t.objects()).toHaveLength(29);

    await t.send('POST', '/people', SEVEN_AGAIN);
    const back = await t.run();
    expect(back).toMatchObject({ result: 'success', created: 1 });
    runIds.back = back.id;
    objB = (await t.contract('7')).targetId!;
    expect(objB).toMatch(/^obj_/);
    expect(objB).not.toBe(objA);
    const all = await t.objects();
    expect(all).toHaveLength(30);
    expect(all.find((o) => o.id === objB)).toMatchObject({ version: 1, data: { name: 'Person 7 again' } });
    expect(all.find((o) => o.id === objA)).toBeUndefined();
  });

  it('names in each run’s log the object that run touched, not the contract’s latest', async () => {
    expect(await t.logged(runIds.first!, '7')).toEqual([['create', objA]]);
    expect(await t.logged(runIds.deletion!, '7')).toEqual([['delete', objA]]);
    expect(await t.logged(runIds.back!, '7')).toEqual([['create', objB]]);
  });

  it('finds obj_A’s runs by obj_A’s id, obj_B’s by obj_B’s, and all three by the origin id', async () => {
    expect(await t.runsOf(objA)).toEqual([
      [runIds.deletion, ['delete']],
      [runIds.first, ['create']],
    ]);
    expect(await t.runsOf(objB)).toEqual([[runIds.back, ['create']]]);
    expect(await t.runsOf('7')).toEqual([
      [runIds.back, ['create']],
      [runIds.deletion, ['delete']],
      [runIds.first, ['create']],
    ]);
  });
});

describe('a record back after a soft deletion, insert only', () => {
  const t = repro('soft', 'insert-only');

  it('leaves the object written before as it is and creates a new one, as insert only says', async () => {
    expect(await t.run()).toMatchObject({ result: 'success', created: 30 });
    const objA = (await t.contract('7')).targetId!;
    expect((await t.send('DELETE', '/people/7')).status).toBe(200);
    expect(await t.run()).toMatchObject({ deleted: 1 });
    expect((await t.send('POST', '/people', SEVEN_AGAIN)).status).toBe(201);
    expect(await t.run()).toMatchObject({ result: 'success', created: 1 });
    const objB = (await t.contract('7')).targetId!;
    expect(objB).not.toBe(objA);
    // The object written before is as it was: deleted, with its data.
    const a = (await t.objects()).find((o) => o.id === objA)!;
    expect(a).toMatchObject({ data: { name: 'Person 7' } });
    expect(a.deletedAt).not.toBeNull();
  });
});
