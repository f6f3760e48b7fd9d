// The hub page's data: a Person schema fed by a CRM (a REST pull from json-server) and feeding a
// mailing list (a push to json-server) and a PostgreSQL table (a push with an SQL target). After a pull
// and the pushes it set off, each leg shows its system, direction, last run and health; a leg that
// keeps failing shows since when; one never run says so; the latest change shows where it went.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { synchronisations } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { hubSetup } from '../helpers/hub-setup';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { postgresPeer, q, type SqlPeer } from '../helpers/sql-peers';
import { runThroughApi } from '../helpers/sync-setup';
import { runsOf, settled } from './hub-settle';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';

let db: TestDatabase;
let crm: JsonServer;
let mailing: JsonServer;
let pgPeer: SqlPeer;

beforeAll(async () => {
  db = await createTestDatabase();
  [crm, mailing] = await Promise.all([
    startJsonServer({
      people: [
        { id: 'c1', name: 'Ada', email: 'ada@example.test' },
        { id: 'c2', name: 'Bo', email: 'bo@example.test' },
      ],
    }),
    startJsonServer({ people: [] }),
  ]);
  pgPeer = await postgresPeer();
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await Promise.all([crm?.stop(), mailing?.stop()]);
  await pgPeer?.dropAll();
  await pgPeer?.close();
  await db?.close();
});

describe('the hub view of a register schema', () => {
  it('lists who feeds it and whom it feeds, each leg with its last run and health', async () => {
    const h = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url, sql: pgPeer });
    const before = await h.api.hub.get({ orgId: h.orgId, schemaId: h.schema.id });
    expect(before.subscribers.map((s) => [s.name, s.kind, s.health.state])).toEqual([
      ['CRM into the directory', 'pull', 'never-run'],
      ['Directory to the mailing list', 'push', 'never-run'],
      ['Directory to the warehouse', 'push', 'never-run'],
    ]);

    expect(await runThroughApi(h.api, h.orgId, h.fromCrm.id)).toMatchObject({
      result: 'success',
      created: 2,
    });
    await settled(db.db, h.orgId);
    // The CRM's people went on to both other systems.
    expect((mailing.read()['people'] ?? []).map((p) => (p as { name: string }).name).sort()).toEqual([
      'Ada',
      'Bo',
    ]);
    const rows = await pgPeer.query(`SELECT name FROM ${q(pgPeer, h.warehouse!.table)} ORDER BY name`);
    expect(rows.map((r) => r['name'])).toEqual(['Ada', 'Bo']);

    const view = await h.api.hub.get({ orgId: h.orgId, schemaId: h.schema.id });
    expect(view.schema).toMatchObject({ id: h.schema.id, name: 'Person' });
    expect(view.register.name).toBe('Directory');
    const [pull, toMailing, toWarehouse] = view.subscribers;
    expect(pull).toMatchObject({
      kind: 'pull',
      inbound: true,
      outbound: false,
      enabled: true,
      system: { id: h.crm.id, name: 'CRM', type: 'rest' },
      lastRun: { result: 'success', trigger: 'manual' },
      health: { state: 'ok' },
      unsubscribe: null,
    });
    expect(toMailing).toMatchObject({
      kind: 'push',
      inbound: false,
      outbound: true,
      system: { id: h.mailing.id, name: 'Mailing list', type: 'rest' },
      lastRun: { result: 'success', trigger: 'push' },
      health: { state: 'ok' },
      unsubscribe: { paused: false, objectIds: [], fields: [] },
    });
    expect(toWarehouse).toMatchObject({
      kind: 'push',
      system: { name: 'Warehouse', type: 'sql' },
      lastRun: { result: 'success', trigger: 'push' },
      health: { state: 'ok' },
    });
    expect(view.backlog).toEqual({ objects: 0, changes: 0, oldest: null });
    // Each change went to both push subscribers, never back to the CRM.
    expect(view.recentChanges).toHaveLength(2);
    for (const change of view.recentChanges) {
      expect(change.changeId).toMatch(/^chg_/);
      expect(change.deliveries.map((d) => [d.syncName, d.outcome]).sort()).toEqual([
        ['Directory to the mailing list', 'sent'],
        ['Directory to the warehouse', 'sent'],
      ]);
    }
  });

  it('shows a failing leg with the time it started failing, and a disabled one never run', async () => {
    const h = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url });
    const broken = await h.api.synchronisations.create({
      orgId: h.orgId,
      name: 'Old CRM endpoint',
      sourceId: h.crm.id,
      sourceEndpoint: '/gone',
      targetType: 'register',
      targetRegisterId: h.register.id,
      targetSchemaId: h.schema.id,
      deleteMode: 'none',
    });
    expect(await runThroughApi(h.api, h.orgId, broken.id)).toMatchObject({ result: 'error' });
    expect(await runThroughApi(h.api, h.orgId, broken.id)).toMatchObject({ result: 'error' });
    const [first] = await runsOf(db.db, broken.id);

    await h.api.synchronisations.setEnabled({ orgId: h.orgId, syncId: h.toMailing.id, enabled: false });

    const view = await h.api.hub.get({ orgId: h.orgId, schemaId: h.schema.id });
    const leg = view.subscribers.find((s) => s.syncId === broken.id);
    expect(leg).toMatchObject({ kind: 'pull', lastRun: { result: 'error' } });
    expect(leg?.health).toEqual({ state: 'failing', since: first!.finishedAt });
    expect(view.subscribers.find((s) => s.syncId === h.toMailing.id)).toMatchObject({
      enabled: false,
      health: { state: 'never-run' },
    });
  });

  it('shows a two-way system on both sides, and lets it unsubscribe', async () => {
    const h = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url });
    // Two-way synchronisations are made elsewhere; here the CRM's pull is one, as stored.
    await db.db
      .update(synchronisations)
      .set({ direction: 'two-way' })
      .where(eq(synchronisations.id, h.fromCrm.id));
    const view = await h.api.hub.get({ orgId: h.orgId, schemaId: h.schema.id });
    expect(view.subscribers.find((s) => s.syncId === h.fromCrm.id)).toMatchObject({
      kind: 'two-way',
      inbound: true,
      outbound: true,
      system: { name: 'CRM' },
      unsubscribe: { paused: false },
    });
    await expect(
      h.api.hub.setUnsubscribe({
        orgId: h.orgId,
        syncId: h.fromCrm.id,
        unsubscribe: { objectIds: ['c1'] },
      }),
    ).resolves.toMatchObject({ unsubscribe: { objectIds: ['c1'] } });
    // Its settings carry changes into the register too: leaving fields out is refused, at the field.
    await expect(
      h.api.hub.setUnsubscribe({ orgId: h.orgId, syncId: h.fromCrm.id, unsubscribe: { fields: ['city'] } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { field: 'unsubscribe.fields' } });
  });

  it('answers NOT_FOUND for a schema of another organisation', async () => {
    const h = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url });
    const other = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url });
    await expect(h.api.hub.get({ orgId: h.orgId, schemaId: other.schema.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
