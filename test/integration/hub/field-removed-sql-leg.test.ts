// A field one system removes is removed in a hub's SQL leg too. Register "Hub" (Item), leg A two-way with
// a json-server API, leg B two-way with a PostgreSQL or MariaDB table. A removed a note and a price from
// its object: the register dropped them, but B's write-back wrote only the fields the object still had,
// so B's row kept them (the run said "updated"); B's next listing found B apart from the register and
// its source of truth, B, brought them back — into the register and to A, the price now B's text
// '9.50'. Now B's columns of the removed fields are emptied, and A keeps what A said.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer } from '../helpers/json-server';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { settled } from './hub-settle';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '100';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await db?.close();
});

describe.each(SQL_PEERS)('a field removed in one system of a hub with an SQL leg ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  beforeAll(async () => {
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
  });

  it('is emptied in the SQL table and does not come back to the system that removed it', async () => {
    const rest = await startJsonServer({ items: [{ id: '1', name: 'Widget', note: 'fragile', price: 9.5 }] });
    try {
      const owner = await createOwner(db.db);
      const api = callerFor(db.db, owner.user);
      const orgId = owner.org.id;
      const register = await api.registers.create({ orgId, name: 'Hub' });
      const schema = await api.registers.createSchema({
        orgId,
        registerId: register.id,
        name: 'Item',
        jsonSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      });
      const table = peer.table('hub_removed');
      await peer.exec(
        `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name ${peer.types.text}, ` +
          `note ${peer.types.text}, price decimal(10,2))`,
      );
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
      const a = await api.sources.create({
        orgId,
        name: 'Shop',
        type: 'rest',
        config: { baseUrl: rest.url },
      });
      const legA = await leg('Shop ⇄ hub', a.id, '/items');
      const b = await api.sources.create({ orgId, name: 'Warehouse', type: 'sql', config: peer.config });
      const legB = await leg('Warehouse ⇄ hub', b.id, table);
      const run = async (syncId: string) => {
        await api.synchronisations.run({ orgId, syncId, test: false, force: false });
        await settled(db.db, orgId);
      };
      await run(legA.id);
      await run(legB.id);
      const rowOfB = async () =>
        (await peer.query(`SELECT id, name, note, price FROM ${q(peer, table)}`)).map((r) => ({
          ...r,
          price: r['price'] === null ? null : Number(r['price']),
        }));
      expect(await rowOfB()).toEqual([{ id: '1', name: 'Widget', note: 'fragile', price: 9.5 }]);

      // A removes the note and the price.
      await fetch(`${rest.url}/items/1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: '1', name: 'Widget' }),
      });
      await run(legA.id);
      expect(await rowOfB()).toEqual([{ id: '1', name: 'Widget', note: null, price: null }]);

      // Each leg polled again: nothing comes back.
      for (let round = 0; round < 2; round++) {
        await run(legB.id);
        await run(legA.id);
      }
      expect(rest.read()['items']).toEqual([{ id: '1', name: 'Widget' }]);
      const [held] = await db.db.select().from(objects).where(ofSchema(schema.id));
      expect(held?.data).toEqual({ id: '1', name: 'Widget' });
      expect(await rowOfB()).toEqual([{ id: '1', name: 'Widget', note: null, price: null }]);
    } finally {
      await rest.stop();
    }
  });
});
