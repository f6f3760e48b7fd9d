// A two-way write-back to an SQL table refuses a create at a key the table already holds. A create that
// landed before its process died (its contract never saved) must not be refused as someone else's row
// when it is sent again: the write-back writes its creates ahead (targets/create-intents.ts), and the
// repeat finds its row and links it. The moment itself is laid down by hand: the row committed, the
// intent still `sending`. A row at that key without the intent is refused, and stays as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntents, runs } from '@/server/db/schema';
import { executeEmbedded } from '@/server/runner/embedded';
import { loadRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { p, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { newOrg } from '../helpers/sync-more';
import { runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe.each(SQL_PEERS)('an interrupted create at an SQL source written back ($dialect)', ({ open }) => {
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
      jsonSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    });
    const table = peer.table('interrupted');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(100))`);
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
    const object = await api.registers.createObject({
      orgId,
      schemaId: schema.id,
      data: { id: '77', name: 'Barbara' },
    });
    const row = (name: string) =>
      peer.exec(`INSERT INTO ${q(peer, table)} (id, name) VALUES ('77', ${p(peer, 1)})`, [name]);
    const intent = () =>
      db.db.insert(createIntents).values({
        orgId,
        synchronisationId: sync.id,
        systemId: source.id,
        originId: `register:${object.id}`,
        idempotencyKey: 'interrupted',
        runId: 'run_interrupted',
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    const rows = async () => peer.query(`SELECT id, name FROM ${q(peer, table)}`);
    const run = () => runDirect(db.db, orgId, sync.id);
    // The hub's fan-out of the object: a push run over just it, which does not list the table first.
    const push = async () => {
      const [queued] = await db.db
        .insert(runs)
        .values({
          orgId,
          synchronisationId: sync.id,
          trigger: 'push',
          cursor: { push: { schemaId: schema.id, objectIds: [object.id] } },
        })
        .returning();
      await executeEmbedded(db.db, queued!.id, { urlPolicy: { allowPrivateNetworks: true } });
      return loadRun(db.db, orgId, queued!.id);
    };
    return { row, intent, rows, run, push };
  }

  it('links the row its interrupted create wrote instead of refusing it', async () => {
    const s = await setUp();
    await s.row('Barbara');
    await s.intent();
    const done = await s.push();
    expect(done).toMatchObject({ result: 'success', failed: 0 });
    expect(done.message).toContain('At the source: created 1');
    expect(await s.rows()).toEqual([{ id: '77', name: 'Barbara' }]);
    // Linked: the next run finds both sides in step.
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 0, failed: 0 });
  });

  it('refuses a create at a row someone else wrote there, and leaves that row as it is', async () => {
    const s = await setUp();
    await s.row('Katherine');
    const done = await s.push();
    expect(done).toMatchObject({ created: 0, failed: 1 });
    expect(await s.rows()).toEqual([{ id: '77', name: 'Katherine' }]);
  });
});
