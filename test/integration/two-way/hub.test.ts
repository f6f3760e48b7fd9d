// The hub (seed 004) with real systems: json-server A (polled), a PostgreSQL table B (polled), json-server
// C (fed by webhooks) and the register in the middle, each system a two-way leg of the Person schema.
// 100 rounds of random edits, creations and deletions on random sides; after each round settles, every
// system holds what the model says, the system a change came from received no write, every other
// system exactly one, and the register changed once — nothing echoes.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema, outbox, runChanges, runs } from '@/server/db/schema';
import { dispatchRun, embeddedRunnerFor } from '@/server/runner/dispatch';
import { requestObjectRun } from '@/server/services/webhooks';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { postgresPeer, q, type SqlPeer } from '../helpers/sql-peers';

// Changes settle quickly: the hub's fan-out waits this long after an object's last change.
process.env.CONCORD_PUSH_DEBOUNCE_MS = '100';

type Person = { name: string; city: string };
type Side = 'A' | 'B' | 'C' | 'register';
const SIDES: readonly Side[] = ['A', 'B', 'C', 'register'];

let db: TestDatabase;
let a: JsonServer;
let c: JsonServer;
let b: SqlPeer;
let table: string;

beforeAll(async () => {
  db = await createTestDatabase();
  [a, c, b] = await Promise.all([
    startJsonServer({ people: [{ id: 'p1', name: 'Ada', city: 'Leiden' }] }),
    startJsonServer({ people: [] }),
    postgresPeer(),
  ]);
  table = b.table('concord_hub');
  await b.exec(`CREATE TABLE ${q(b, table)} (key text PRIMARY KEY, name text NOT NULL, city text)`);
  // Every row the database really writes, counted by a trigger (not by what Concord reports).
  await b.exec(`CREATE TABLE ${q(b, `${table}_log`)} (op text, key text)`);
  await b.exec(`CREATE FUNCTION ${table}_logged() RETURNS trigger AS $$ BEGIN
      INSERT INTO ${q(b, `${table}_log`)} VALUES (TG_OP, COALESCE(NEW.key, OLD.key)); RETURN NULL; END $$ LANGUAGE plpgsql`);
  await b.exec(`CREATE TRIGGER logged AFTER INSERT OR UPDATE OR DELETE ON ${q(b, table)}
      FOR EACH ROW EXECUTE FUNCTION ${table}_logged()`);
  await b.exec(`INSERT INTO ${q(b, table)} VALUES ('p2', 'Bob', 'Utrecht')`);
  embeddedRunnerFor(db.db);
});
afterAll(async () => {
  await Promise.all([a?.stop(), c?.stop()]);
  if (b) {
    await b.exec(`DROP TABLE IF EXISTS ${q(b, `${table}_log`)}`);
    await b.exec(`DROP TABLE IF EXISTS ${q(b, table)}`);
    await b.exec(`DROP FUNCTION IF EXISTS ${table}_logged()`);
    await b.close();
  }
  await db?.close();
});

/** A small deterministic random source, so a failing sequence can be replayed from its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the hub', () => {
  it('keeps A, B, C and the register in step over 100 random rounds, never writing back to the origin', async () => {
    const owner = await createOwner(db.db);
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const register = await api.registers.create({ orgId, name: 'Directory' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Person',
      jsonSchema: {
        type: 'object',
        required: ['key', 'name'],
        properties: { key: { type: 'string' }, name: { type: 'string' }, city: { type: 'string' } },
      },
    });
    // Each system names the shared key its own way: `id` in the REST APIs, `key` in the table.
    const fromRest = await api.mappings.create({
      orgId,
      name: 'REST person in',
      config: { mapping: { key: 'id', name: 'name', city: 'city' } },
    });
    const toRest = await api.mappings.create({
      orgId,
      name: 'REST person out',
      config: { mapping: { id: 'key', name: 'name', city: 'city' } },
    });
    const twoWay = {
      conflictPolicy: 'manual' as const,
      targetOnly: 'add-to-source' as const,
      // A person-like workload edits one object many times a minute: not a flap.
      flap: { writes: 1000, minutes: 1 },
    };
    const leg = async (name: string, sourceId: string, extra: Record<string, unknown>) =>
      api.synchronisations.create({
        orgId,
        name,
        sourceId,
        targetType: 'register',
        targetRegisterId: register.id,
        targetSchemaId: schema.id,
        direction: 'two-way',
        twoWay,
        deleteMode: 'hard',
        deleteThreshold: 1,
        ...extra,
      });
    const restLeg = async (name: string, url: string) => {
      const source = await api.sources.create({ orgId, name, type: 'rest', config: { baseUrl: url } });
      return leg(`${name} ⇄ directory`, source.id, {
        sourceEndpoint: '/people',
        mappingId: fromRest.id,
        writeBackMappingId: toRest.id,
      });
    };
    const legA = await restLeg('System A', a.url);
    const legC = await restLeg('System C', c.url);
    const sourceB = await api.sources.create({ orgId, name: 'System B', type: 'sql', config: b.config });
    const legB = await leg('System B ⇄ directory', sourceB.id, {
      sourceEndpoint: table,
      sourceConfig: { sourceIdField: 'key' },
    });
    const legs = { A: legA, B: legB, C: legC };

    // ── Reading each system ─────────────────────────────────────────────────────────────────────
    const restPeople = async (server: JsonServer) =>
      (await (await fetch(`${server.url}/people`)).json()) as { id: string; name: string; city?: string }[];
    const holds = {
      A: async () => new Map((await restPeople(a)).map((p) => [p.id, { name: p.name, city: p.city ?? '' }])),
      C: async () => new Map((await restPeople(c)).map((p) => [p.id, { name: p.name, city: p.city ?? '' }])),
      B: async () =>
        new Map(
          (await b.query(`SELECT key, name, city FROM ${q(b, table)}`)).map((r) => [
            String(r['key']),
            { name: String(r['name']), city: typeof r['city'] === 'string' ? r['city'] : '' },
          ]),
        ),
      register: async () =>
        new Map(
          (await db.db.select().from(objects).where(ofSchema(schema.id)))
            .filter((o) => o.deletedAt === null)
            .map((o) => [
              String(o.data['key']),
              {
                name: String(o.data['name']),
                city: typeof o.data['city'] === 'string' ? o.data['city'] : '',
              },
            ]),
        ),
    };
    // Writes each system received: requests other than GET (json-server), rows the trigger logged (B).
    const writeCounts = async () => ({
      A: (await a.requests()).filter((r) => r.method !== 'GET').length,
      B: Number((await b.query(`SELECT count(*) AS n FROM ${q(b, `${table}_log`)}`))[0]?.['n'] ?? 0),
      C: (await c.requests()).filter((r) => r.method !== 'GET').length,
    });
    /** Each live register object's version, by key: a write of the register shows as one more. */
    const versions = async () =>
      new Map(
        (await db.db.select().from(objects).where(ofSchema(schema.id)))
          .filter((o) => o.deletedAt === null)
          .map((o) => [String(o.data['key']), o.version]),
      );

    // ── Settling: every queued change delivered, every run finished ─────────────────────────────
    const settled = async () => {
      await expect
        .poll(
          async () => {
            const pending = await db.db.select().from(outbox);
            const all = await db.db.select().from(runs);
            return (
              pending.length === 0 && all.every((r) => r.status === 'finished' || r.status === 'cancelled')
            );
          },
          { timeout: 30_000, interval: 50 },
        )
        .toBe(true);
    };
    const poll = async (side: 'A' | 'B') => {
      await api.synchronisations.run({ orgId, syncId: legs[side].id, test: false, force: false });
      await settled();
    };
    const webhookC = async (object: Record<string, unknown>) => {
      const run = await requestObjectRun(db.db, { orgId, id: legC.id }, object);
      await dispatchRun(db.db, { ...run, object });
      await settled();
    };

    // ── The first synchronisation: everyone gets Ada (from A) and Bob (from B) ──────────────────
    await poll('A');
    await poll('B');
    await poll('A');
    const model = new Map<string, Person>([
      ['p1', { name: 'Ada', city: 'Leiden' }],
      ['p2', { name: 'Bob', city: 'Utrecht' }],
    ]);
    const expectInStep = async (round: number) => {
      for (const side of SIDES) {
        const held = Object.fromEntries([...(await holds[side]())].sort());
        expect(held, `round ${round}: ${side}`).toEqual(Object.fromEntries([...model].sort()));
      }
    };
    await expectInStep(0);

    // ── 100 rounds ──────────────────────────────────────────────────────────────────────────────
    const seed = Number(process.env.HUB_SEED ?? 20261203);
    const next = random(seed);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    let made = 2;
    const runsBefore = (await db.db.select().from(runs)).length;
    for (let round = 1; round <= 100; round++) {
      const side = pick(SIDES);
      const keys = [...model.keys()];
      const roll = next();
      const kind = keys.length < 2 || roll < 0.15 ? 'create' : roll < 0.22 ? 'delete' : 'edit';
      const key = kind === 'create' ? `p${++made}` : pick(keys);
      const person: Person = { name: `Name ${round}`, city: `City ${Math.floor(next() * 1000)}` };
      const before = await writeCounts();
      const versionsBefore = await versions();
      const label = `round ${round} (seed ${seed}): ${kind} ${key} in ${side}`;

      if (side === 'A') {
        if (kind === 'delete') await fetch(`${a.url}/people/${key}`, { method: 'DELETE' });
        else
          await fetch(kind === 'create' ? `${a.url}/people` : `${a.url}/people/${key}`, {
            method: kind === 'create' ? 'POST' : 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id: key, ...person }),
          });
        await poll('A');
      } else if (side === 'B') {
        if (kind === 'delete') await b.exec(`DELETE FROM ${q(b, table)} WHERE key = $1`, [key]);
        else if (kind === 'create')
          await b.exec(`INSERT INTO ${q(b, table)} VALUES ($1, $2, $3)`, [key, person.name, person.city]);
        else
          await b.exec(`UPDATE ${q(b, table)} SET name = $2, city = $3 WHERE key = $1`, [
            key,
            person.name,
            person.city,
          ]);
        await poll('B');
      } else if (side === 'C') {
        // C changes its own record and tells Concord by webhook (a deletion waits for C's next full run).
        if (kind === 'delete') {
          await fetch(`${c.url}/people/${key}`, { method: 'DELETE' });
          await api.synchronisations.run({ orgId, syncId: legC.id, test: false, force: false });
          await settled();
        } else {
          await fetch(kind === 'create' ? `${c.url}/people` : `${c.url}/people/${key}`, {
            method: kind === 'create' ? 'POST' : 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id: key, ...person }),
          });
          await webhookC({ id: key, ...person });
        }
      } else {
        const rows = await db.db.select().from(objects).where(ofSchema(schema.id));
        const row = rows.find((o) => o.deletedAt === null && o.data['key'] === key);
        if (kind === 'create')
          await api.registers.createObject({ orgId, schemaId: schema.id, data: { key, ...person } });
        else if (kind === 'delete') await api.registers.deleteObject({ orgId, objectId: row!.id });
        else
          await api.registers.updateObject({
            orgId,
            objectId: row!.id,
            version: row!.version,
            data: { key, ...person },
          });
        await settled();
      }
      if (kind === 'delete') model.delete(key);
      else model.set(key, person);

      await expectInStep(round);
      // Every system received exactly one write this round: the origin its own change (made by the
      // test), every other system Concord's one delivery of it. One more would be an echo.
      const after = await writeCounts();
      expect({ A: after.A - before.A, B: after.B - before.B, C: after.C - before.C }, label).toEqual({
        A: 1,
        B: 1,
        C: 1,
      });
      // And the register changed once: only this object, by one version.
      const expectedVersions = new Map(versionsBefore);
      if (kind === 'delete') expectedVersions.delete(key);
      else expectedVersions.set(key, (versionsBefore.get(key) ?? 0) + 1);
      expect(Object.fromEntries(await versions()), label).toEqual(Object.fromEntries(expectedVersions));
    }
    // One change id across the fan-out: a register edit is delivered under the same id to each leg,
    // once, and each leg's run log names it.
    const [someone] = (await db.db.select().from(objects).where(ofSchema(schema.id))).filter(
      (o) => o.deletedAt === null,
    );
    await fetch(`${a.url}/__requests`, { method: 'DELETE' });
    await api.registers.updateObject({
      orgId,
      objectId: someone!.id,
      version: someone!.version,
      data: { ...someone!.data, city: 'Hub City' },
    });
    await settled();
    // The fan-out compares just the changed object: A is asked for that one person, not listed in full.
    const asked = (await a.requests()).filter((r) => r.method === 'GET').map((r) => r.url);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((url) => url === `/people/${String(someone!.data['key'])}`)).toBe(true);
    const deliveries = (
      await db.db.select().from(runChanges).where(eq(runChanges.objectId, someone!.id))
    ).sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
    const last = deliveries.filter((d) => d.changeId === deliveries.at(-1)?.changeId);
    expect(last.map((d) => [d.synchronisationId, d.outcome]).sort()).toEqual(
      [legA.id, legB.id, legC.id].map((id) => [id, 'sent']).sort(),
    );
    for (const d of last) {
      const changes = await api.runs.changes({ orgId, runId: d.runId });
      expect(changes.map((c) => c.changeId)).toContain(d.changeId);
    }

    // No conflict, no failure, nothing quarantined or held in any run of the 100 rounds.
    const done = (await db.db.select().from(runs)).slice(runsBefore);
    expect(done.filter((r) => r.result !== 'success').map((r) => r.message)).toEqual([]);
  }, 600_000);
});
