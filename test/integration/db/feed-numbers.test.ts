// Places in the change feed (migration 0035): the engine numbers the register objects it writes itself,
// the feed's triggers number everyone else's. Whoever writes, every change must land after every
// earlier one (a reader's cursor would otherwise skip it), each place held by one object, and the
// counter at the highest place handed out. A writer that hands in a number not above the counter gets
// one from the triggers instead.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(50) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const counter = async () =>
  Number((await db.client.execute('SELECT n FROM change_counter WHERE id = 1')).rows[0]!.n);
const places = async () =>
  db.db
    .select({ id: objects.id, seq: objects.changeSeq, at: objects.changedAt, name: objects.data })
    .from(objects)
    .where(ofSchema(s.schema.id));
const placeOf = async (id: string) => (await places()).find((o) => o.id === id)!.seq!;
const run = () => runThroughApi(s.api, s.orgId, s.sync.id);

/** Every object has a place of its own, none above the counter. */
async function expectConsistent() {
  const all = await places();
  const seqs = all.map((o) => o.seq);
  expect(seqs.every((n) => typeof n === 'number' && n > 0)).toBe(true);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(Math.max(...(seqs as number[]))).toBeLessThanOrEqual(await counter());
  expect(all.every((o) => o.at instanceof Date)).toBe(true);
}

describe('places in the change feed', () => {
  let synced: { id: string; seq: number }[];

  it('are given by the run to the objects it creates, in the order it writes them', async () => {
    const before = await counter();
    expect(await run()).toMatchObject({ result: 'success', created: 50 });
    const all = await places();
    expect(all).toHaveLength(50);
    synced = all.map((o) => ({ id: o.id, seq: o.seq! })).sort((a, b) => a.seq - b.seq);
    // One place each, right after the counter: the run's numbers were taken, not replaced.
    expect(synced.map((o) => o.seq)).toEqual(Array.from({ length: 50 }, (_, i) => before + i + 1));
    expect(await counter()).toBe(before + 50);
    await expectConsistent();
  });

  it("come after the run's for a person's new object and edit", async () => {
    const created = await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'By hand', email: 'hand@example.test', city: 'Delft' },
    });
    const high = await counter();
    expect(await placeOf(created.id)).toBe(high);
    expect(high).toBe(synced.at(-1)!.seq + 1);
    const first = synced[0]!;
    const [row] = await db.db.select().from(objects).where(eq(objects.id, first.id));
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: first.id,
      version: row!.version,
      data: { ...row!.data, city: 'Gouda' },
    });
    expect(await placeOf(first.id)).toBe(high + 1);
    await expectConsistent();
  });

  it("move an object the run updates to the end, after everyone's", async () => {
    const high = await counter();
    await fetch(`${peer.url}/people/7`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Person seven' }),
    });
    expect(await run()).toMatchObject({ result: 'success', updated: 1 });
    const moved = (await places()).find((o) => (o.name as { name?: string }).name === 'Person seven')!;
    expect(moved.seq).toBe(high + 1);
    expect(await counter()).toBe(high + 1);
    await expectConsistent();
  });

  it('are not taken from a writer that hands in one at or below the counter', async () => {
    const high = await counter();
    const first = synced[0]!;
    // An insert and an update that name places already given (say, a writer that read the counter
    // before another wrote): each is given the next place instead.
    await db.client.execute({
      sql: `INSERT INTO objects (id, schema_seq, data, hash, version, created_at, updated_at_offset,
          change_seq, changed_at_offset)
        VALUES ('obj_stale_insert', (SELECT seq FROM schemas WHERE id = ?), '{"name":"Stale"}', 'h', 1, 0, 0, ?, 0)`,
      args: [s.schema.id, first.seq],
    });
    expect(await placeOf('obj_stale_insert')).toBe(high + 1);
    await db.client.execute({
      sql: `UPDATE objects SET hash = 'h2', change_seq = ? WHERE id = 'obj_stale_insert'`,
      args: [high],
    });
    expect(await placeOf('obj_stale_insert')).toBe(high + 2);
    expect(await counter()).toBe(high + 2);
    await expectConsistent();
  });
});
