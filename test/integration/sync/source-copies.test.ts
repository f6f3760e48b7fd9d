// Source copies' bookkeeping through the libSQL contract store (server/sync/stores/source-copies.ts):
// each row counts the contracts pointing into it and goes when none does, a page larger than a row
// spreads over several, a failed write keeps none, a synchronisation's deletion takes its copies, and
// retention compacts rows few contracts still point into. What the contracts read back:
// contract-store-origin-data.test.ts.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, synchronisations } from '@/server/db/schema';
import { applyRetention } from '@/server/runner/retention';
import { compactSourceCopies, moveInlineSourceObjects } from '@/server/sync/stores/source-copies-upkeep';
import { createPairStore } from '@/server/sync/two-way/pair-store';
import {
  openStoreFixture,
  rowReaders,
  state,
  withoutData,
  type StoreOrg,
} from '../helpers/contract-store-fixture';
import type { TestDatabase } from '../helpers/database';

let db: TestDatabase;
let orgA: StoreOrg;
beforeAll(async () => {
  ({ db, orgA } = await openStoreFixture());
});
afterAll(() => db.close());
const { rowsOf } = rowReaders(() => db);

/** The synchronisation's rows of copies, oldest first: how many objects each holds and how many live. */
async function copiesOf(syncId: string) {
  const result = await db.client.execute({
    sql: `SELECT seq, objects, live FROM source_copies
      WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ?) ORDER BY seq`,
    args: [syncId],
  });
  return result.rows.map((r) => ({ seq: Number(r.seq), objects: Number(r.objects), live: Number(r.live) }));
}

/** Each contract's source object as the services read it, by origin id. */
async function originData(syncId: string) {
  return Object.fromEntries((await rowsOf(syncId)).map((r) => [r.originId, r.originData]));
}

describe('source copies', () => {
  it('counts the contracts pointing into a row, and drops the row when none does', async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert(['a', 'b', 'c'].map((id) => state(id, { originData: { id, v: 1 } })));
    const [first] = await copiesOf(syncId);
    expect(first).toMatchObject({ objects: 3, live: 3 });

    // A changed object goes into a new row; its old place is let go.
    await store.upsert([state('a', { originData: { id: 'a', v: 2 } })]);
    expect(await copiesOf(syncId)).toEqual([
      { ...first, live: 2 },
      { seq: expect.any(Number), objects: 1, live: 1 },
    ]);
    // Cleared: let go too. Written without data: still pointing into it.
    await store.upsert([state('b', { originData: null }), withoutData(state('c', { lastError: 'x' }))]);
    expect((await copiesOf(syncId))[0]).toEqual({ ...first, live: 1 });
    expect(await originData(syncId)).toEqual({ a: { id: 'a', v: 2 }, b: null, c: { id: 'c', v: 1 } });

    // The last contract pointing into it goes: so does the row.
    await db.db.delete(contracts).where(eq(contracts.originId, 'c'));
    const left = await copiesOf(syncId);
    expect(left).toHaveLength(1);
    expect(left[0]!.seq).not.toBe(first!.seq);
    expect(await originData(syncId)).toEqual({ a: { id: 'a', v: 2 }, b: null });
  });

  it('spreads a page larger than a row over several, and finds every object in them', async () => {
    const { syncId, store } = await orgA.sync();
    // 1,200 objects of about 400 bytes: close to half a megabyte of JSON, rows close at 128 KiB.
    const objects = Array.from({ length: 1_200 }, (_, i) => ({
      id: `o${i}`,
      text: `${i} `.repeat(100).slice(0, 380),
    }));
    await store.upsert(objects.map((o) => state(o.id, { originData: o })));
    const rows = await copiesOf(syncId);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.live === r.objects)).toBe(true);
    expect(rows.reduce((n, r) => n + r.objects, 0)).toBe(1_200);
    expect(await originData(syncId)).toEqual(Object.fromEntries(objects.map((o) => [o.id, o])));
  });

  it('keeps no copy of a write that fails, and none of another organisation', async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert([state('kept', { originData: { id: 'kept' } })]);
    const before = await copiesOf(syncId);
    // The contracts' statement fails after the copies' (status is NOT NULL): both are undone.
    const broken = state('broken', { status: null as never, originData: { id: 'broken' } });
    await expect(store.upsert([broken])).rejects.toThrow(/NOT NULL constraint failed: contracts\.status/);
    expect(await copiesOf(syncId)).toEqual(before);
    expect(await originData(syncId)).toEqual({ kept: { id: 'kept' } });
  });

  it('is let go of when a two-way run writes the contract, which keeps its source object in its row', async () => {
    const { orgId, syncId, store } = await orgA.sync();
    await store.upsert([state('p', { originData: { id: 'p', v: 1 } })]);
    expect(await copiesOf(syncId)).toHaveLength(1);
    const pairs = createPairStore(db.db, { orgId, syncId });
    const pair = (await pairs.byOriginIds(['p'])).get('p')!;
    expect(pair.originData).toEqual({ id: 'p', v: 1 });
    await pairs.save([{ ...pair, originData: { id: 'p', v: 2 } }]);
    expect(await copiesOf(syncId)).toEqual([]);
    expect(await originData(syncId)).toEqual({ p: { id: 'p', v: 2 } });
    expect((await pairs.byOriginIds(['p'])).get('p')?.originData).toEqual({ id: 'p', v: 2 });
  });

  it("goes with its synchronisation's deletion", async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert([state('x'), state('y')]);
    expect(await copiesOf(syncId)).toHaveLength(1);
    const [sync] = await db.db
      .select({ seq: synchronisations.seq })
      .from(synchronisations)
      .where(eq(synchronisations.id, syncId));
    await db.db.delete(synchronisations).where(eq(synchronisations.id, syncId));
    const left = await db.client.execute({
      sql: 'SELECT count(*) AS n FROM source_copies WHERE sync_seq = ?',
      args: [sync!.seq],
    });
    expect(Number(left.rows[0]?.n)).toBe(0);
  });

  it('compacts, at retention, the rows fewer than a quarter of whose objects are still pointed into', async () => {
    const ids = Array.from({ length: 80 }, (_, i) => `o${i}`);
    const sparse = await orgA.sync();
    await sparse.store.upsert(ids.map((id) => state(id, { originData: { id, v: 1 } })));
    // 70 of 80 move on: 10 objects live in a row of 80.
    await sparse.store.upsert(ids.slice(10).map((id) => state(id, { originData: { id, v: 2 } })));
    // Another synchronisation's row with 20 of 80 live: a quarter, left as it is (and its row of 60,
    // small but alone, too).
    const quarter = await orgA.sync();
    await quarter.store.upsert(ids.map((id) => state(id, { originData: { id, v: 1 } })));
    await quarter.store.upsert(ids.slice(20).map((id) => state(id, { originData: { id, v: 2 } })));
    const before = {
      sparse: await copiesOf(sparse.syncId),
      quarter: await copiesOf(quarter.syncId),
      data: await originData(sparse.syncId),
      rows: await rowsOf(sparse.syncId),
    };
    expect(before.sparse.map((r) => [r.objects, r.live])).toEqual([
      [80, 10],
      [70, 70],
    ]);

    expect(await applyRetention(db.db)).toMatchObject({ sourceCopies: 1 });
    const after = await copiesOf(sparse.syncId);
    expect(after).toEqual([before.sparse[1], { seq: expect.any(Number), objects: 10, live: 10 }]);
    expect(after[1]!.seq).toBeGreaterThan(before.sparse[1]!.seq);
    // Every contract reads the same, and is otherwise untouched (not written again).
    expect(await originData(sparse.syncId)).toEqual(before.data);
    expect((await rowsOf(sparse.syncId)).map(({ originData: _, ...r }) => r)).toEqual(
      before.rows.map(({ originData: _, ...r }) => r),
    );
    expect(await copiesOf(quarter.syncId)).toEqual(before.quarter);
    // Nothing left to do: the new small row is alone.
    expect(await compactSourceCopies(db.db)).toBe(0);
  });

  it('merges the small rows runs that changed a few objects leave, once there are two', async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert(['a', 'b', 'c'].map((id) => state(id, { originData: { id, run: 1 } })));
    expect(await compactSourceCopies(db.db)).toBe(0);
    await store.upsert(['d', 'e'].map((id) => state(id, { originData: { id, run: 2 } })));
    await store.upsert([state('a', { originData: { id: 'a', run: 3 } })]);
    const data = await originData(syncId);
    expect((await copiesOf(syncId)).map((r) => [r.objects, r.live])).toEqual([
      [3, 2],
      [2, 2],
      [1, 1],
    ]);
    expect(await compactSourceCopies(db.db)).toBe(3);
    expect((await copiesOf(syncId)).map((r) => [r.objects, r.live])).toEqual([[5, 5]]);
    expect(await originData(syncId)).toEqual(data);
    expect(await compactSourceCopies(db.db)).toBe(0);
  });

  it('moves, at retention, the source objects one-way contracts still hold in their rows', async () => {
    const legacy = async (syncId: string, ids: string[]) => {
      for (const id of ids)
        await db.client.execute({
          sql: `UPDATE contracts SET origin_data = jsonb(?), origin_copy = NULL, origin_copy_at = NULL
            WHERE origin_id = ? AND sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
          args: [JSON.stringify({ id, kept: 'in the row' }), id, syncId],
        });
    };
    const held = async (syncId: string) =>
      (
        await db.client.execute({
          sql: `SELECT count(*) AS n FROM contracts WHERE origin_data IS NOT NULL
            AND sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
          args: [syncId],
        })
      ).rows[0]!.n;
    // As a database upgraded from before migration 0048 holds them: in the row, no copy.
    const oneWay = await orgA.sync();
    await oneWay.store.upsert(['a', 'b', 'c'].map((id) => state(id, { originData: { id } })));
    await legacy(oneWay.syncId, ['a', 'b', 'c']);
    expect(await copiesOf(oneWay.syncId)).toEqual([]);
    const twoWay = await orgA.sync();
    await twoWay.store.upsert([state('t')]);
    await legacy(twoWay.syncId, ['t']);
    await db.db
      .update(synchronisations)
      .set({ direction: 'two-way' })
      .where(eq(synchronisations.id, twoWay.syncId));
    const before = { oneWay: await originData(oneWay.syncId), twoWay: await originData(twoWay.syncId) };
    expect(before.oneWay).toEqual({
      a: { id: 'a', kept: 'in the row' },
      b: { id: 'b', kept: 'in the row' },
      c: { id: 'c', kept: 'in the row' },
    });

    expect(await applyRetention(db.db)).toMatchObject({ sourceObjectsMoved: 3 });
    expect(await held(oneWay.syncId)).toBe(0);
    expect((await copiesOf(oneWay.syncId)).map((r) => [r.objects, r.live])).toEqual([[3, 3]]);
    expect(await originData(oneWay.syncId)).toEqual(before.oneWay);
    // Two-way's stay in the row, read as before.
    expect(await held(twoWay.syncId)).toBe(1);
    expect(await originData(twoWay.syncId)).toEqual(before.twoWay);
    expect(await moveInlineSourceObjects(db.db)).toBe(0);
    // The rows that hold one are found by their partial index alone.
    const plan = await db.client.execute(
      'EXPLAIN QUERY PLAN SELECT DISTINCT sync_seq FROM contracts WHERE origin_data IS NOT NULL',
    );
    expect(JSON.stringify(plan.rows)).toMatch(/contracts_sync_inline_origin/);
  });
});
