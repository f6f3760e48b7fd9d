// A hub's change to a two-way leg whose system is down is delivered once it is back, by itself. Register
// "Hub" (Person) with two two-way legs: a PostgreSQL table B (polled) and a json-server C (fed by
// webhooks, never polled). B created Bob and renamed Ada while C was down: C's fan-out run could not
// read C and ended in error, its changes were recorded as delivered with nothing to send, and nothing
// tried them again — C never got Bob unless someone ran C's synchronisation by hand. Now C's undelivered
// changes are marked failed and tried again (trigger _retry_) until C takes them: one write each, and
// nothing goes back to B. The same when C answers reads but refuses writes for a while.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChanges, runs } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { postgresPeer, q, type SqlPeer } from '../helpers/sql-peers';
import { settled } from './hub-settle';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '100';
// A second, then three, between attempts, instead of minutes.
process.env.CONCORD_PUSH_RETRY_DELAYS_MS = '1000,3000';

let db: TestDatabase;
let peer: SqlPeer;
beforeAll(async () => {
  db = await createTestDatabase();
  embeddedRunnerFor(db.db);
  peer = await postgresPeer();
});
afterAll(async () => {
  await peer?.dropAll();
  await peer?.close();
  await db?.close();
});

type Outage = {
  label: string;
  start: (c: JsonServer) => Promise<void>;
  end: (c: JsonServer) => Promise<void>;
  /** B also renames Ada (an update for C, read by id first), not only creates Bob. */
  renames?: boolean;
};
const OUTAGES: Outage[] = [
  { label: 'down', start: (c) => c.down(), end: (c) => c.up(), renames: true },
  // Only a create: nothing to read at C first, the create's request fails and the run stops (an
  // outage); before, its change stayed pending and was never tried again.
  { label: 'down (a create only)', start: (c) => c.down(), end: (c) => c.up() },
  {
    // C answers reads but refuses every write for a while (503): before, the ledger said "sent" for the
    // update (C's contract still named its earlier write) and "nothing to send" for the create.
    label: 'refusing writes (503)',
    start: (c) =>
      c.faults([
        { path: '/people', method: 'POST', status: 503 },
        { path: '/people/p1', method: 'PUT', status: 503 },
      ]),
    renames: true,
    end: async (c) => {
      await c.clearFaults();
      await fetch(`${c.url}/__requests`, { method: 'DELETE' });
    },
  },
];

describe.each(OUTAGES)(
  'a hub change to a two-way leg whose system is $label',
  { timeout: 120_000 },
  (outage) => {
    it('is tried again by itself and delivered once the system is back', async () => {
      const c = await startJsonServer({ people: [] });
      try {
        const owner = await createOwner(db.db);
        const api = callerFor(db.db, owner.user);
        const orgId = owner.org.id;
        const register = await api.registers.create({ orgId, name: 'Hub' });
        const schema = await api.registers.createSchema({
          orgId,
          registerId: register.id,
          name: 'Person',
          jsonSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        });
        const table = peer.table('hub_down');
        await peer.exec(`CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name text)`);
        await peer.exec(`INSERT INTO ${q(peer, table)} VALUES ('p1', 'Ada')`);
        // Every row the database really writes, counted by a trigger.
        const log = peer.table('hub_down_log');
        await peer.exec(`CREATE TABLE ${q(peer, log)} (op text, id text)`);
        await peer.exec(`CREATE FUNCTION ${log}_row() RETURNS trigger AS $$ BEGIN
          INSERT INTO ${q(peer, log)} VALUES (TG_OP, COALESCE(NEW.id, OLD.id)); RETURN NULL; END $$ LANGUAGE plpgsql`);
        await peer.exec(`CREATE TRIGGER logged AFTER INSERT OR UPDATE OR DELETE ON ${q(peer, table)}
          FOR EACH ROW EXECUTE FUNCTION ${log}_row()`);
        const leg = (name: string, sourceId: string, sourceEndpoint: string) =>
          api.synchronisations.create({
            orgId,
            name,
            sourceId,
            sourceEndpoint,
            targetType: 'register',
            targetRegisterId: register.id,
            targetSchemaId: schema.id,
            direction: 'two-way',
            twoWay: { conflictPolicy: 'manual', targetOnly: 'add-to-source' },
            deleteMode: 'hard',
          });
        const b = await api.sources.create({ orgId, name: 'Warehouse', type: 'sql', config: peer.config });
        const legB = await leg('Warehouse ⇄ hub', b.id, table);
        const cs = await api.sources.create({
          orgId,
          name: 'Shop',
          type: 'rest',
          config: { baseUrl: c.url },
        });
        const legC = await leg('Shop ⇄ hub', cs.id, '/people');
        await api.synchronisations.run({ orgId, syncId: legB.id, test: false, force: false });
        await settled(db.db, orgId);
        expect(c.read()['people']).toEqual([{ id: 'p1', name: 'Ada' }]);

        await outage.start(c);
        await peer.exec(`INSERT INTO ${q(peer, table)} VALUES ('p2', 'Bob')`);
        if (outage.renames) await peer.exec(`UPDATE ${q(peer, table)} SET name = 'Ada B' WHERE id = 'p1'`);
        const writesToB = async () =>
          Number((await peer.query(`SELECT count(*) AS n FROM ${q(peer, log)}`))[0]?.['n'] ?? 0);
        const bBefore = await writesToB();
        await api.synchronisations.run({ orgId, syncId: legB.id, test: false, force: false });
        // C's fan-out run fails: its changes are not delivered, and the ledger says so.
        await expect
          .poll(
            async () =>
              (await db.db.select().from(runs).where(eq(runs.synchronisationId, legC.id))).some(
                (r) => r.trigger === 'push' && r.result === 'error',
              ),
            { timeout: 30_000 },
          )
          .toBe(true);
        await expect
          .poll(
            async () =>
              (await db.db.select().from(runChanges).where(eq(runChanges.synchronisationId, legC.id)))
                .filter((d) => d.outcome !== 'sent')
                .map((d) => d.outcome),
            { timeout: 10_000 },
          )
          .toEqual(outage.renames ? ['failed', 'failed'] : ['failed']);

        // C comes back: it gets Bob and Ada's new name by itself, once each.
        await outage.end(c);
        await expect
          .poll(() => c.read()['people'], { timeout: 30_000 })
          .toEqual([
            { id: 'p1', name: outage.renames ? 'Ada B' : 'Ada' },
            { id: 'p2', name: 'Bob' },
          ]);
        await settled(db.db, orgId);
        const writes = (await c.requests())
          .filter((r) => r.method !== 'GET')
          .map((r) => `${r.method} ${r.url}`);
        expect(writes.sort()).toEqual(outage.renames ? ['POST /people', 'PUT /people/p1'] : ['POST /people']);
        const cRuns = await db.db.select().from(runs).where(eq(runs.synchronisationId, legC.id));
        expect(cRuns.filter((r) => r.result === 'success').map((r) => r.trigger)).toContain('retry');
        expect(cRuns.every((r) => r.trigger !== 'manual')).toBe(true);
        // The ledger names C's delivery of both changes.
        const delivered = await db.db
          .select()
          .from(runChanges)
          .where(eq(runChanges.synchronisationId, legC.id));
        expect(delivered.filter((d) => d.outcome === 'sent')).toHaveLength(outage.renames ? 3 : 2);
        // Nothing went back to B, the system the changes came from.
        expect(await writesToB()).toBe(bBefore);

        // Delivered: nothing more is tried.
        const count = cRuns.length;
        await new Promise((resolve) => setTimeout(resolve, 3_500));
        await settled(db.db, orgId);
        expect(await db.db.select().from(runs).where(eq(runs.synchronisationId, legC.id))).toHaveLength(
          count,
        );
      } finally {
        await c.stop();
      }
    });
  },
);
