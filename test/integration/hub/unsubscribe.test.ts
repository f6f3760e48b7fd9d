// Unsubscribing (seed 004's unsubscribe array), per outbound subscriber, counted from the requests the
// mailing list (json-server) received: paused gets nothing and no run is queued for it; named objects
// are not sent (by register id or id-field value, exactly); unsubscribed fields are never written, and
// an edit of only those fields sends no request. The list is checked at its fields.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { hubSetup } from '../helpers/hub-setup';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests } from '../helpers/push-setup';
import { postgresPeer, q, type SqlPeer } from '../helpers/sql-peers';
import { logWrites } from '../helpers/sql-target';
import { runsOf, settled } from './hub-settle';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';

let db: TestDatabase;
let crm: JsonServer;
let mailing: JsonServer;
let pgPeer: SqlPeer;

beforeAll(async () => {
  db = await createTestDatabase();
  [crm, mailing] = await Promise.all([startJsonServer({ people: [] }), startJsonServer({ people: [] })]);
  pgPeer = await postgresPeer();
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await Promise.all([crm?.stop(), mailing?.stop()]);
  await pgPeer?.dropAll();
  await pgPeer?.close();
  await db?.close();
});
beforeEach(async () => {
  await fetch(`${mailing.url}/__requests`, { method: 'DELETE' });
});

const writes = async () => countRequests(await mailing.requests());
type Person = Record<string, unknown> & { id: string };
const peopleThere = () => (mailing.read()['people'] ?? []) as Person[];

type List = { paused?: boolean; objectIds?: string[]; fields?: string[] };

async function hub(sql?: SqlPeer) {
  const h = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url, ...(sql ? { sql } : {}) });
  const unsubscribe = (list: List, syncId = h.toMailing.id) =>
    h.api.hub.setUnsubscribe({ orgId: h.orgId, syncId, unsubscribe: list });
  const edit = (object: { id: string; version: number; data: Record<string, unknown> }, data: object) =>
    h.api.registers.updateObject({
      orgId: h.orgId,
      objectId: object.id,
      version: object.version,
      data: { ...object.data, ...data },
    });
  return { ...h, unsubscribe, edit };
}

describe('unsubscribing an outbound subscriber', () => {
  it('paused: queues no run for it and sends it nothing; the subscription stays', async () => {
    const h = await hub();
    expect(await h.unsubscribe({ paused: true })).toEqual({
      syncId: h.toMailing.id,
      unsubscribe: { paused: true, objectIds: [], fields: [] },
    });
    await h.person('Ada');
    await settled(db.db, h.orgId);
    expect(await runsOf(db.db, h.toMailing.id)).toEqual([]);
    expect(await writes()).toEqual({});
    const view = await h.api.hub.get({ orgId: h.orgId, schemaId: h.schema.id });
    expect(view.subscribers.find((s) => s.syncId === h.toMailing.id)).toMatchObject({
      enabled: true,
      unsubscribe: { paused: true },
    });

    // Resumed: the next change goes out again (the one made while paused is not delivered later).
    await h.unsubscribe({ paused: false });
    await h.person('Bo');
    await settled(db.db, h.orgId);
    expect(await writes()).toEqual({ 'POST /people': 1 });
    expect(peopleThere().map((p) => p['name'])).toContain('Bo');
    expect(peopleThere().map((p) => p['name'])).not.toContain('Ada');
  });

  it('objectIds: changes of the named objects are not sent, by register id or id-field value', async () => {
    const h = await hub();
    const ada = await h.person('Ada');
    const bo = await h.person('Bo');
    // An object from another system keeps that system's id in its data: its id field.
    const cy = await h.person('Cy', { id: 'crm-7' });
    // …and "crm-70" is not "crm-7".
    const dee = await h.person('Dee', { id: 'crm-70' });
    await settled(db.db, h.orgId);
    expect((await writes())['POST /people']).toBe(4);
    await fetch(`${mailing.url}/__requests`, { method: 'DELETE' });

    await h.unsubscribe({ objectIds: [ada.id, 'crm-7'] });
    for (const [object, city] of [
      [ada, 'Delft'],
      [bo, 'Gouda'],
      [cy, 'Leiden'],
      [dee, 'Breda'],
    ] as const)
      await h.edit(object, { city });
    await settled(db.db, h.orgId);
    expect(await writes()).toEqual({ [`PUT /people/${bo.id}`]: 1, 'PUT /people/crm-70': 1 });
  });

  it('fields: never written to the subscriber, and an edit of only those fields sends nothing', async () => {
    const h = await hub();
    await h.unsubscribe({ fields: ['city'] });
    const ada = await h.person('Ada', { city: 'Delft' });
    await settled(db.db, h.orgId);
    expect(await writes()).toEqual({ 'POST /people': 1 });
    const [posted] = await mailing.requests();
    expect(posted?.body).toEqual({ id: ada.id, name: 'Ada', email: 'ada@example.test' });

    const moved = await h.edit(ada, { city: 'Gouda' });
    await settled(db.db, h.orgId);
    expect(await writes()).toEqual({ 'POST /people': 1 });
    expect((await runsOf(db.db, h.toMailing.id)).at(-1)).toMatchObject({ result: 'success', skipped: 1 });

    await h.edit(moved, { name: 'Ada L.' });
    await settled(db.db, h.orgId);
    expect(await writes()).toEqual({ 'POST /people': 1, [`PUT /people/${ada.id}`]: 1 });
    expect(peopleThere().find((p) => p.id === ada.id)).toEqual({
      id: ada.id,
      name: 'Ada L.',
      email: 'ada@example.test',
    });
  });

  it('fields, into PostgreSQL: the column is never written, and an edit of only that field writes no row', async () => {
    const h = await hub(pgPeer);
    const warehouse = h.warehouse!;
    const log = await logWrites(pgPeer, warehouse.table);
    try {
      await h.unsubscribe({ paused: true }); // only the warehouse in this test
      await h.unsubscribe({ fields: ['city'] }, warehouse.sync.id);
      const ada = await h.person('Ada', { city: 'Delft' });
      await settled(db.db, h.orgId);
      const row = () =>
        pgPeer.query(`SELECT name, city FROM ${q(pgPeer, warehouse.table)} WHERE id = $1`, [ada.id]);
      expect(await row()).toEqual([{ name: 'Ada', city: null }]);
      // What the warehouse keeps in that column is its own.
      await pgPeer.exec(`UPDATE ${q(pgPeer, warehouse.table)} SET city = 'Kept' WHERE id = $1`, [ada.id]);
      const before = await log.counts();

      const moved = await h.edit(ada, { city: 'Gouda' });
      await settled(db.db, h.orgId);
      expect(await log.counts()).toEqual(before);

      await h.edit(moved, { name: 'Ada L.' });
      await settled(db.db, h.orgId);
      expect(await log.counts()).toEqual({ ...before, UPDATE: before.UPDATE + 1 });
      expect(await row()).toEqual([{ name: 'Ada L.', city: 'Kept' }]);
    } finally {
      await log.drop();
    }
  });

  it('refuses a list with problems, each at its field, and a synchronisation the hub does not feed', async () => {
    const h = await hub();
    await expect(
      h.api.hub.setUnsubscribe({
        orgId: h.orgId,
        syncId: h.toMailing.id,
        unsubscribe: { paused: true, objectIds: [''], fields: ['city', ' '] },
      }),
    ).rejects.toMatchObject({
      cause: {
        issues: [
          { field: 'unsubscribe.objectIds.0', message: expect.any(String) as string },
          { field: 'unsubscribe.fields.1', message: expect.any(String) as string },
        ],
      },
    });
    await expect(h.unsubscribe({ paused: true, wanted: true } as never)).rejects.toMatchObject({
      cause: { issues: [{ field: 'unsubscribe.wanted' }] },
    });
    await expect(
      h.api.hub.setUnsubscribe({ orgId: h.orgId, syncId: h.fromCrm.id, unsubscribe: { paused: true } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { field: 'syncId' } });
    const view = await h.api.hub.get({ orgId: h.orgId, schemaId: h.schema.id });
    expect(view.subscribers.find((s) => s.syncId === h.toMailing.id)?.unsubscribe).toEqual({
      paused: false,
      objectIds: [],
      fields: [],
    });
  });
});
