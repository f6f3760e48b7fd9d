// A create at an SQL leg of the hub never overwrites a row Concord holds no contract for. Register
// "Hub" (Contact), leg A two-way with a json-server API, leg B two-way with a table in PostgreSQL and
// in MariaDB, no mappings: a row inserted in B behind Concord's back under the key an object from A
// carries stays as it is (the fan-out refuses the object, naming the key and the table), and two
// register objects carrying the same key leave one row and a refusal, never "created 2".
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntries, runs } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { p, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { runsOf, settled } from './hub-settle';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '100';

const CONTACT = {
  type: 'object',
  required: ['name', 'email'],
  properties: { name: { type: 'string' }, email: { type: 'string' }, city: { type: 'string' } },
};
const TWO_WAY = {
  conflictPolicy: 'manual' as const,
  targetOnly: 'add-to-source' as const,
  match: { source: 'email', target: 'email' },
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await db?.close();
});

describe.each(SQL_PEERS)('a create at an SQL leg of the hub ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  let restApi: JsonServer;
  beforeAll(async () => {
    peer = await open();
    restApi = await startJsonServer({
      contacts: [{ id: 1, name: 'Ada Lovelace', email: 'ada@example.test', city: 'London' }],
    });
  });
  afterAll(async () => {
    await restApi?.stop();
    await peer?.dropAll();
    await peer?.close();
  });

  /** The hub with leg B, and leg A when `rest` is given; each leg run once through the API. */
  async function hub(rest: JsonServer | null) {
    const owner = await createOwner(db.db);
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const register = await api.registers.create({ orgId, name: 'Hub' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Contact',
      jsonSchema: CONTACT,
    });
    const table = peer.table('hub_contacts');
    const text = peer.types.text;
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name ${text}, email ${text}, city ${text})`,
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
        twoWay: TWO_WAY,
        deleteMode: 'hard',
      });
    const b = await api.sources.create({ orgId, name: 'Warehouse', type: 'sql', config: peer.config });
    const legB = await leg('Warehouse ⇄ hub', b.id, table);
    let legA: { id: string } | null = null;
    if (rest) {
      const a = await api.sources.create({ orgId, name: 'CRM', type: 'rest', config: { baseUrl: rest.url } });
      legA = await leg('CRM ⇄ hub', a.id, '/contacts');
    }
    const run = async (syncId: string) => {
      await api.synchronisations.run({ orgId, syncId, test: false, force: false });
      await settled(db.db, orgId);
    };
    if (legA) await run(legA.id);
    await run(legB.id);
    const rows = async () =>
      (await peer.query(`SELECT id, name, email, city FROM ${q(peer, table)} ORDER BY id`)).map((r) => ({
        id: String(r['id']),
        name: r['name'],
        email: r['email'],
        city: r['city'],
      }));
    /** The last run of a leg (of the trigger given), with its entries. */
    const lastRun = async (syncId: string, trigger?: 'manual' | 'push') => {
      const all = (await runsOf(db.db, syncId)).filter((r) => !trigger || r.trigger === trigger);
      const last = all[all.length - 1]!;
      const [run] = await db.db.select().from(runs).where(eq(runs.id, last.id));
      const entries = await db.db
        .select()
        .from(runEntries)
        .where(and(eq(runEntries.runId, last.id)));
      return { run: run!, entries };
    };
    return { api, orgId, schema, table, legA, legB, run, rows, lastRun };
  }

  it('leaves a row inserted behind its back as it is, and refuses the object that carries its key', async () => {
    const h = await hub(restApi);
    expect(await h.rows()).toEqual([
      { id: '1', name: 'Ada Lovelace', email: 'ada@example.test', city: 'London' },
    ]);

    // Katherine comes into the table behind Concord's back; Barbara comes into A with the same key.
    const earlier = (await runsOf(db.db, h.legB.id)).length;
    await peer.exec(
      `INSERT INTO ${q(peer, h.table)} (id, name, email, city) VALUES ('77', ${p(peer, 1)}, ${p(peer, 2)}, 'Hampton')`,
      ['Katherine Johnson', 'kj@example.test'],
    );
    const posted = await fetch(`${restApi.url}/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '77', name: 'Barbara Liskov', email: 'bl@example.test', city: 'Boston' }),
    });
    expect(posted.status).toBe(201);
    await h.run(h.legA!.id);

    // The fan-out to B refused Barbara, naming the key and the table; Katherine's row is untouched.
    const katherine = { id: '77', name: 'Katherine Johnson', email: 'kj@example.test', city: 'Hampton' };
    expect(await h.rows()).toContainEqual(katherine);
    // B's pushes (a two-way leg's push compares both sides, so whichever push of A's changes came first
    // met Barbara): none created anything at B, and one refused her, naming the key and the table.
    const pushes = (await runsOf(db.db, h.legB.id)).slice(earlier).filter((r) => r.trigger === 'push');
    expect(pushes.length).toBeGreaterThan(0);
    for (const push of pushes) expect(push.message).toContain('At the source: created 0');
    const refusals = await db.db
      .select({ runId: runEntries.runId, reason: runEntries.reason })
      .from(runEntries)
      .where(
        and(
          inArray(
            runEntries.runId,
            pushes.map((r) => r.id),
          ),
          eq(runEntries.action, 'failed'),
        ),
      );
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.reason).toContain('key 77');
    expect(refusals[0]!.reason).toContain(h.table);
    // Its one object failed: by the rule of every run (run-result.ts objectsResult), an error.
    // (Its other counts are the register's side: A's other changes the same push carried.)
    expect(pushes.find((r) => r.id === refusals[0]!.runId)).toMatchObject({ result: 'error', failed: 1 });

    // B's next full run brings Katherine into the register; Barbara is refused again, the row still hers.
    await h.run(h.legB.id);
    expect(await h.rows()).toContainEqual(katherine);
    const full = await h.lastRun(h.legB.id, 'manual');
    // Katherine came in, Barbara failed: partly synchronised, a warning — the rule of every run, the
    // same a push with the same refused row gets (two-way/summary.ts, run-result.ts objectsResult).
    expect(full.run).toMatchObject({ result: 'warning', failed: 1 });
    expect(full.run.message).toContain('In the register: created 1');
    // Katherine's contract now holds key 77: Barbara is refused as another object's key.
    expect(full.entries.find((e) => e.action === 'failed')?.reason).toContain('holds key 77');
    const objects = await h.api.registers.objects({ orgId: h.orgId, schemaId: h.schema.id, pageSize: 50 });
    expect(objects.rows.map((o) => o.data['name']).sort()).toEqual([
      'Ada Lovelace',
      'Barbara Liskov',
      'Katherine Johnson',
    ]);
  });

  it('writes one of two register objects that carry the same key, and refuses the other', async () => {
    const h = await hub(null);
    const contact = (name: string) =>
      h.api.registers.createObject({
        orgId: h.orgId,
        schemaId: h.schema.id,
        data: { id: '10', name, email: `${name.toLowerCase()}@example.test`, city: 'Delft' },
      });
    await contact('Grace');
    await contact('Edsger');
    await settled(db.db, h.orgId);
    await h.run(h.legB.id);

    const rows = await h.rows();
    expect(rows).toHaveLength(1);
    const written = rows[0]!;
    // Every run of B said what happened: one created, the other refused with the key; never two created.
    for (const syncRun of await runsOf(db.db, h.legB.id))
      expect(syncRun.message ?? '').not.toMatch(/created 2/);
    const { entries } = await h.lastRun(h.legB.id, 'manual');
    const refusal = entries.find((e) => e.action === 'failed');
    expect(refusal?.reason).toContain('key 10');
    // The row is the object whose contract names it, and it was not taken over by the other.
    const contracts = await h.api.contracts.list({ orgId: h.orgId, syncId: h.legB.id, pageSize: 50 });
    const linked = contracts.rows.filter((c) => c.originId === '10');
    expect(linked).toHaveLength(1);
    expect(written.email).toMatch(/^(grace|edsger)@example.test$/);
  });
});
