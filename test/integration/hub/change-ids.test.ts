// One change id across the fan-out: a register edit is one change, delivered under the same id to the
// mailing list (json-server) and the warehouse (PostgreSQL), each run's log naming it. Delivered once per
// (change, subscriber): the same change queued again — its outbox row back after a restart, or a second
// push run carrying it, forced — sends nothing more, counted from the peers' requests and rows written.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, runChanges, runs } from '@/server/db/schema';
import { dispatchRun, embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { hubSetup } from '../helpers/hub-setup';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests } from '../helpers/push-setup';
import { postgresPeer, type SqlPeer } from '../helpers/sql-peers';
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

describe('one change id across the fan-out', () => {
  it('carries one change id to every subscriber, visible in each run log, and delivers it once', async () => {
    const h = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url, sql: pgPeer });
    const warehouse = h.warehouse!;
    const log = await logWrites(pgPeer, warehouse.table);
    try {
      const ada = await h.person('Ada');
      const [queued] = await db.db.select().from(outbox).where(eq(outbox.objectId, ada.id));
      const changeId = queued!.changeId!;
      expect(changeId).toMatch(/^chg_/);
      await settled(db.db, h.orgId);

      const logOf = async (syncId: string) => {
        const [run] = await runsOf(db.db, syncId);
        return h.api.runs.changes({ orgId: h.orgId, runId: run!.id });
      };
      const delivered = [
        { changeId, objectId: ada.id, outcome: 'sent', updatedAt: expect.any(Date) as Date },
      ];
      expect(await logOf(h.toMailing.id)).toEqual(delivered);
      expect(await logOf(warehouse.sync.id)).toEqual(delivered);
      expect(countRequests(await mailing.requests())).toEqual({ 'POST /people': 1 });
      expect(await log.counts()).toEqual({ INSERT: 1, UPDATE: 0, DELETE: 0 });

      // A process that died after delivering but before taking the row finds it again at start.
      await db.db.insert(outbox).values({
        orgId: h.orgId,
        schemaId: h.schema.id,
        objectId: ada.id,
        op: 'upsert',
        changeId,
        createdAt: new Date(Date.now() - 60_000),
        updatedAt: new Date(Date.now() - 60_000),
      });
      await settled(db.db, h.orgId);
      expect(await runsOf(db.db, h.toMailing.id)).toHaveLength(1);
      expect(await runsOf(db.db, warehouse.sync.id)).toHaveLength(1);

      // A second push run carrying the same change, forced (it would write even an unchanged object):
      // the change is already claimed for this subscriber, so nothing is sent.
      const [again] = await db.db
        .insert(runs)
        .values({
          orgId: h.orgId,
          synchronisationId: h.toMailing.id,
          trigger: 'push',
          force: true,
          cursor: { push: { schemaId: h.schema.id, objectIds: [ada.id], changes: { [ada.id]: changeId } } },
        })
        .returning();
      await dispatchRun(db.db, again!);
      await settled(db.db, h.orgId);
      const [rerun] = await db.db.select().from(runs).where(eq(runs.id, again!.id));
      expect(rerun).toMatchObject({ result: 'success', updated: 0, rewritten: 0 });
      expect(rerun?.message).toMatch(/already delivered by another run and not sent again/);
      expect(await h.api.runs.changes({ orgId: h.orgId, runId: again!.id })).toEqual([]);
      expect(countRequests(await mailing.requests())).toEqual({ 'POST /people': 1 });
      expect(await log.counts()).toEqual({ INSERT: 1, UPDATE: 0, DELETE: 0 });
      const ledger = await db.db.select().from(runChanges).where(eq(runChanges.changeId, changeId));
      expect(ledger).toHaveLength(2);

      // The next edit is a new change, delivered to both under its own id.
      await h.api.registers.updateObject({
        orgId: h.orgId,
        objectId: ada.id,
        version: ada.version,
        data: { ...ada.data, city: 'Delft' },
      });
      await settled(db.db, h.orgId);
      const view = await h.api.hub.get({ orgId: h.orgId, schemaId: h.schema.id });
      const [latest, first] = view.recentChanges;
      expect(first?.changeId).toBe(changeId);
      expect(latest?.changeId).not.toBe(changeId);
      expect(latest?.deliveries.map((d) => d.outcome)).toEqual(['sent', 'sent']);
      expect(countRequests(await mailing.requests())).toEqual({
        'POST /people': 1,
        [`PUT /people/${ada.id}`]: 1,
      });
      expect(await log.counts()).toMatchObject({ INSERT: 1 });
    } finally {
      await log.drop();
    }
  });

  it('records a deletion under its change id', async () => {
    const h = await hubSetup(db.db, { crmUrl: crm.url, mailingUrl: mailing.url });
    const bo = await h.person('Bo');
    // Two more, so one deletion stays under the share that waits for approval.
    await h.person('Cy');
    await h.person('Dee');
    await settled(db.db, h.orgId);
    await h.api.registers.deleteObject({ orgId: h.orgId, objectId: bo.id });
    await settled(db.db, h.orgId);
    const last = (await runsOf(db.db, h.toMailing.id)).at(-1)!;
    expect(await h.api.runs.changes({ orgId: h.orgId, runId: last.id })).toEqual([
      expect.objectContaining({ objectId: bo.id, outcome: 'deleted' }),
    ]);
  });
});
