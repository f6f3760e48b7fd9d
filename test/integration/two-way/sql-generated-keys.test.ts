// Two-way with an SQL table whose database gives each row its key (PostgreSQL serial, MariaDB
// AUTO_INCREMENT), as most application tables do. An object made in the register has no key there: its
// "add to the source" inserts the row without one, the key the database gave is the contract's source
// id, and the next listing finds that row as the object's — never a second object, never a second row.
// Edits then cross both ways by that key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntents, runs } from '@/server/db/schema';
import { executeEmbedded } from '@/server/runner/embedded';
import { loadRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { newOrg } from '../helpers/sync-more';
import { runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe.each(SQL_PEERS)('two-way with a table whose database gives the keys ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  beforeAll(async () => {
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
  });

  async function setUp() {
    const { api, orgId } = await newOrg(db.db);
    const register = await api.registers.create({ orgId, name: 'Hub' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Contact',
      jsonSchema: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, city: { type: 'string' } },
      },
    });
    const table = peer.table('contacts');
    const key = peer.dialect === 'postgres' ? 'id serial PRIMARY KEY' : 'id int AUTO_INCREMENT PRIMARY KEY';
    await peer.exec(`CREATE TABLE ${q(peer, table)} (${key}, name varchar(100) NOT NULL, city varchar(100))`);
    await peer.exec(
      `INSERT INTO ${q(peer, table)} (name, city) VALUES ('Ada', 'London'), ('Grace', 'Arlington')`,
    );
    const source = await api.sources.create({ orgId, name: 'Warehouse', type: 'sql', config: peer.config });
    const sync = await api.synchronisations.create({
      orgId,
      name: 'Warehouse ⇄ hub',
      sourceId: source.id,
      sourceEndpoint: table,
      targetType: 'register',
      targetRegisterId: register.id,
      targetSchemaId: schema.id,
      direction: 'two-way',
      twoWay: { targetOnly: 'add-to-source' },
      deleteMode: 'hard',
    });
    const rows = async () =>
      (await peer.query(`SELECT id, name, city FROM ${q(peer, table)} ORDER BY id`)).map((r) => ({
        id: Number(r['id']),
        name: r['name'],
        city: r['city'],
      }));
    const objects = async () =>
      (await api.registers.objects({ orgId, schemaId: schema.id, pageSize: 100 })).rows;
    const run = () => runDirect(db.db, orgId, sync.id);
    // The hub's fan-out of one object: a push run over just it, which does not list the table first.
    const push = async (objectId: string) => {
      const [queued] = await db.db
        .insert(runs)
        .values({
          orgId,
          synchronisationId: sync.id,
          trigger: 'push',
          cursor: { push: { schemaId: schema.id, objectIds: [objectId] } },
        })
        .returning();
      await executeEmbedded(db.db, queued!.id, { urlPolicy: { allowPrivateNetworks: true } });
      return loadRun(db.db, orgId, queued!.id);
    };
    const intent = (objectId: string) =>
      db.db.insert(createIntents).values({
        orgId,
        synchronisationId: sync.id,
        systemId: source.id,
        originId: `register:${objectId}`,
        idempotencyKey: 'interrupted',
        runId: 'run_interrupted',
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    return { api, orgId, schema, table, rows, objects, run, push, intent };
  }

  it('adds an object made in the register as a new row, links it by the key given, and edits cross by it', async () => {
    const s = await setUp();
    expect(await s.run()).toMatchObject({ result: 'success', created: 2 });
    const made = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Barbara', city: 'Boston' },
    });

    const added = await s.run();
    // Added at the source, and the key the database gave taken into the register in the same run.
    expect(added).toMatchObject({ result: 'success', updated: 1, failed: 0 });
    expect(added.message).toContain('At the source: created 1');
    const rows = await s.rows();
    expect(rows).toHaveLength(3);
    const barbara = rows.find((r) => r.name === 'Barbara')!;
    expect(barbara).toMatchObject({ city: 'Boston' });
    expect(barbara.id).toBeGreaterThan(2);
    const taken = (await s.objects()).find((o) => o.id === made.id);
    expect(taken?.data).toEqual({ id: barbara.id, name: 'Barbara', city: 'Boston' });

    // The next listing finds the new row as that object's: no second object, no second row, nothing written.
    const quiet = await s.run();
    expect(quiet).toMatchObject({ result: 'success', created: 0, updated: 0, deleted: 0, failed: 0 });
    expect(await s.rows()).toEqual(rows);
    const objects = await s.objects();
    expect(objects).toHaveLength(3);
    expect(objects.filter((o) => o.data['name'] === 'Barbara').map((o) => o.id)).toEqual([made.id]);
    expect(objects.find((o) => o.id === made.id)?.data).toEqual({
      id: barbara.id,
      name: 'Barbara',
      city: 'Boston',
    });

    // Edits cross by the key the database gave.
    const current = objects.find((o) => o.id === made.id)!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: made.id,
      version: current.version,
      data: { ...current.data, city: 'Cambridge' },
    });
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, failed: 0 });
    expect(await s.rows()).toEqual(rows.map((r) => (r.id === barbara.id ? { ...r, city: 'Cambridge' } : r)));
    await peer.exec(`UPDATE ${q(peer, s.table)} SET city = 'Oxford' WHERE id = ${barbara.id}`);
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, failed: 0 });
    const after = await s.objects();
    expect(after).toHaveLength(3);
    expect(after.find((o) => o.id === made.id)?.data['city']).toBe('Oxford');
    expect(await s.rows()).toHaveLength(3);
  });

  it('links the row an interrupted add committed, found by what it wrote, instead of adding it twice', async () => {
    const s = await setUp();
    await s.run();
    const made = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Barbara', city: 'Boston' },
    });
    // The moment a process died: the row committed, the intent still `sending`, no contract.
    await peer.exec(`INSERT INTO ${q(peer, s.table)} (name, city) VALUES ('Barbara', 'Boston')`);
    await s.intent(made.id);
    const done = await s.push(made.id);
    expect(done).toMatchObject({ result: 'success', failed: 0 });
    expect(done.message).toContain('At the source: created 1');
    const rows = await s.rows();
    expect(rows.filter((r) => r.name === 'Barbara')).toHaveLength(1);
    // Linked: the listing finds that row as the object's, not as a second object.
    await s.run();
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 0, failed: 0 });
    expect(await s.rows()).toEqual(rows);
    expect((await s.objects()).filter((o) => o.data['name'] === 'Barbara').map((o) => o.id)).toEqual([
      made.id,
    ]);
  });
});
