// A hub whose systems hold the same values in types of their own settles. Register "Hub" (Item), leg A
// two-way with a json-server API (JSON numbers, booleans, text), leg B two-way with a table in
// PostgreSQL and in MariaDB whose typed columns store the values their own way: a number in a text
// column is '2', 9.5 in a decimal(10,2) column is '9.50', text '5' in an integer column is 5, true in
// MariaDB's tinyint(1) is 1, a time with a +02:00 zone comes back in UTC. Before, each run read those
// back as changes: the register took B's types, then A got them written, A's id 1 and the register's
// '1' wrote each other back and forth until the flap breaker quarantined the object — every leg
// "success". Now the runs after the first settle write nothing anywhere, each system keeps its types,
// and a real change still crosses once, in the type of the system that receives it.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema, runs } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer } from '../helpers/json-server';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { settled } from './hub-settle';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '100';

const ITEM = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' } },
};
/** The object as A (json-server) holds it at the start: a number id, numbers, a boolean, text. */
const WIDGET = {
  id: 1,
  name: 'Widget',
  code: 2,
  qty: '5',
  price: 9.5,
  active: true,
  seen: '2024-05-01T12:00:00.000+02:00',
};
/** Quiet rounds after the hub settled: every leg run this many times more. */
const ROUNDS = 3;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await db?.close();
});

describe.each(SQL_PEERS)('a hub whose systems hold values in their own types ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  beforeAll(async () => {
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
  });

  /** The hub, each leg run once (A, then B) and settled. */
  async function hub() {
    const rest = await startJsonServer({ items: [WIDGET] });
    const owner = await createOwner(db.db);
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const register = await api.registers.create({ orgId, name: 'Hub' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Item',
      jsonSchema: ITEM,
    });
    const pg = peer.dialect === 'postgres';
    const table = peer.table('hub_items');
    const log = peer.table('hub_items_log');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name ${peer.types.text}, code ${peer.types.text}, ` +
        `qty integer, price decimal(10,2), active ${pg ? 'boolean' : 'tinyint(1)'}, seen ${peer.types.instant})`,
    );
    // Every row the database really writes, counted by triggers (not by what Concord reports).
    await peer.exec(`CREATE TABLE ${q(peer, log)} (op varchar(10), id varchar(64))`);
    if (pg) {
      await peer.exec(`CREATE FUNCTION ${log}_row() RETURNS trigger AS $$ BEGIN
          INSERT INTO ${q(peer, log)} VALUES (TG_OP, COALESCE(NEW.id, OLD.id)); RETURN NULL; END $$ LANGUAGE plpgsql`);
      await peer.exec(`CREATE TRIGGER logged AFTER INSERT OR UPDATE OR DELETE ON ${q(peer, table)}
          FOR EACH ROW EXECUTE FUNCTION ${log}_row()`);
    } else {
      for (const [op, row] of [
        ['INSERT', 'NEW'],
        ['UPDATE', 'NEW'],
        ['DELETE', 'OLD'],
      ] as const)
        await peer.exec(
          `CREATE TRIGGER ${log}_${op.toLowerCase()} AFTER ${op} ON ${q(peer, table)} ` +
            `FOR EACH ROW INSERT INTO ${q(peer, log)} VALUES ('${op}', ${row}.id)`,
        );
    }
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
    const a = await api.sources.create({ orgId, name: 'CRM', type: 'rest', config: { baseUrl: rest.url } });
    const legA = await leg('CRM ⇄ hub', a.id, '/items');
    const b = await api.sources.create({ orgId, name: 'Warehouse', type: 'sql', config: peer.config });
    const legB = await leg('Warehouse ⇄ hub', b.id, table);
    const run = async (syncId: string) => {
      await api.synchronisations.run({ orgId, syncId, test: false, force: false });
      await settled(db.db, orgId);
    };
    await run(legA.id);
    await run(legB.id);

    const inA = async () =>
      ((await (await fetch(`${rest.url}/items`)).json()) as Record<string, unknown>[])[0];
    const inB = async () =>
      (
        await peer.query(
          `SELECT id, code, qty, ${pg ? 'price::text AS price' : 'CAST(price AS char) AS price'}, active FROM ${q(peer, table)}`,
        )
      )[0];
    const inRegister = async () => (await db.db.select().from(objects).where(ofSchema(schema.id)))[0]!;
    /** What each system was written, as the systems count it, and the register's versions. */
    const written = async () => ({
      A: (await rest.requests()).filter((r) => r.method !== 'GET').length,
      B: Number((await peer.query(`SELECT count(*) AS n FROM ${q(peer, log)}`))[0]?.['n'] ?? 0),
      register: (await inRegister()).version,
    });
    /** Every leg run `ROUNDS` more times: nothing is written anywhere, nothing is quarantined. */
    const expectQuiet = async () => {
      const before = await written();
      const runsBefore = (await db.db.select({ id: runs.id }).from(runs).where(eq(runs.orgId, orgId))).length;
      for (let round = 0; round < ROUNDS; round++) {
        await run(legA.id);
        await run(legB.id);
      }
      expect(await written()).toEqual(before);
      const after = (await db.db.select().from(runs).where(eq(runs.orgId, orgId))).slice(runsBefore);
      // Just the runs asked for: none queued a push, and each said it changed nothing on either side.
      expect(after).toHaveLength(2 * ROUNDS);
      for (const quiet of after) {
        expect(quiet).toMatchObject({ result: 'success', trigger: 'manual' });
        expect(quiet.message).toContain('In the register: created 0, updated 0, deleted 0.');
        expect(quiet.message).toContain('At the source: created 0, updated 0, deleted 0.');
      }
      for (const syncId of [legA.id, legB.id]) {
        const list = await api.contracts.list({ orgId, syncId, pageSize: 50 });
        expect(list.rows.map((c) => c.status)).toEqual(['synced']);
      }
    };
    /** What was written since `before`, per system (the change that started it included). */
    const since = async (before: Awaited<ReturnType<typeof written>>) => {
      const now = await written();
      return { A: now.A - before.A, B: now.B - before.B, register: now.register - before.register };
    };
    return {
      api,
      orgId,
      pg,
      rest,
      table,
      legA,
      legB,
      run,
      inA,
      inB,
      inRegister,
      expectQuiet,
      written,
      since,
    };
  }

  it('settles after the first run: no system is written again, and each keeps its own types', async () => {
    const h = await hub();
    try {
      // A's object reached B once, in B's column types.
      expect(await h.inB()).toEqual({
        id: '1',
        code: '2',
        qty: 5,
        price: '9.50',
        active: h.pg ? true : 1,
      });
      await h.expectQuiet();
      // A and the register hold what A held, in A's types.
      expect(await h.inA()).toEqual(WIDGET);
      expect((await h.inRegister()).data).toEqual(WIDGET);
      expect(await h.inB()).toMatchObject({ code: '2', qty: 5, price: '9.50' });
    } finally {
      await h.rest.stop();
    }
  });

  it('carries a real change from either side once, in the type of the system that receives it', async () => {
    const h = await hub();
    try {
      await h.expectQuiet();

      // B changes the code (text '3') and the price: A and the register get numbers, as they held them.
      // Each system is written once (B by the change itself).
      let before = await h.written();
      await peer.exec(`UPDATE ${q(peer, h.table)} SET code = '3', price = 12.25 WHERE id = '1'`);
      await h.run(h.legB.id);
      expect(await h.inA()).toEqual({ ...WIDGET, code: 3, price: 12.25 });
      expect((await h.inRegister()).data).toMatchObject({ id: 1, code: 3, price: 12.25, qty: '5' });
      expect(await h.since(before)).toEqual({ A: 1, B: 1, register: 1 });
      await h.expectQuiet();

      // A changes the quantity (text '6', as A holds it): B's integer column gets 6.
      before = await h.written();
      await fetch(`${h.rest.url}/items/1`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ qty: '6' }),
      });
      await h.run(h.legA.id);
      expect(await h.inB()).toEqual({
        id: '1',
        code: '3',
        qty: 6,
        price: '12.25',
        active: h.pg ? true : 1,
      });
      expect(await h.since(before)).toEqual({ A: 1, B: 1, register: 1 });
      await h.expectQuiet();

      // A person edits the register with other types (text '4', 0): A gets a number and a boolean.
      before = await h.written();
      const object = await h.inRegister();
      await h.api.registers.updateObject({
        orgId: h.orgId,
        objectId: object.id,
        version: object.version,
        data: { ...object.data, code: '4', active: 0 },
      });
      await settled(db.db, h.orgId);
      expect(await h.inA()).toEqual({ ...WIDGET, code: 4, price: 12.25, qty: '6', active: false });
      expect(await h.inB()).toMatchObject({ code: '4', active: h.pg ? false : 0 });
      expect(await h.since(before)).toEqual({ A: 1, B: 1, register: 1 });
      await h.expectQuiet();
    } finally {
      await h.rest.stop();
    }
  });
});
