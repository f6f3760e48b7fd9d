// The source object a contract keeps (origin data), through the libSQL contract store: every kind of
// JSON as it was given, data nested deeper than SQLite's JSON functions take, kept a page at a time in
// source copies (and the JSONB and text of rows written before them), and a state without it keeping
// the stored one while null clears it. The copies' own bookkeeping: source-copies.test.ts. The rest of
// the store: contract-store.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nested,
  openStoreFixture,
  rowReaders,
  state,
  stateOf,
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
const { rowsOf, rowOf } = rowReaders(() => db);

/**
 * How each contract of the synchronisation holds its source object: 'copy' (in source copies), 'blob'
 * (JSONB in the row), 'text' (JSON text in the row, before JSONB) or 'null' (none).
 */
async function storedAs(syncId: string): Promise<Record<string, string>> {
  const result = await db.client.execute({
    sql: `SELECT origin_id, CASE WHEN origin_copy IS NOT NULL THEN 'copy' ELSE typeof(origin_data) END AS type
      FROM contracts WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
    args: [syncId],
  });
  return Object.fromEntries(result.rows.map((r) => [r.origin_id as string, r.type as string]));
}

describe('origin data', () => {
  it('keeps every kind of JSON origin data as it was given', async () => {
    const { syncId, store } = await orgA.sync();
    const values: Record<string, unknown> = {
      object: { a: { b: [{ c: 'd' }] }, 'key with "quotes"': 'value\\with\nescapes\t' },
      array: [1, 'two', null, { three: 3 }],
      string: 'just text',
      'string-null': 'null',
      'json-in-string': '{"a":1}',
      number: 42,
      float: 0.1,
      big: 9007199254740991,
      negative: -12.5e-10,
      zero: 0,
      false: false,
      true: true,
      unicode: { name: 'Zoë Ångström', city: '東京', mood: '🙂', rtl: 'שלום' },
      empty: {},
      'empty-array': [],
      'empty-string': '',
    };
    await store.upsert(Object.entries(values).map(([id, originData]) => state(id, { originData })));
    const rows = await rowsOf(syncId);
    expect(Object.fromEntries(rows.map((r) => [r.originId, r.originData]))).toEqual(values);
  });

  it('stores origin data nested as deep as hashing allows, deeper than the JSON functions of SQLite accept', async () => {
    const { syncId, store } = await orgA.sync();
    const deep = nested(999);
    await store.upsert([state('deep', { originData: deep }), state('flat', { originData: { a: 1 } })]);
    expect((await rowOf(syncId, 'deep')).originData).toEqual(deep);
    expect((await rowOf(syncId, 'flat')).originData).toEqual({ a: 1 });
    // Deeper than SQLite's JSON functions take (1,000 levels; no source's: Concord refuses it where it
    // enters): the copies are JSON made and read by Node, so it is kept all the same.
    const deeper = nested(1_500);
    await store.upsert([state('deeper', { originData: deeper })]);
    expect((await rowOf(syncId, 'deeper')).originData).toEqual(deeper);
    expect(await storedAs(syncId)).toEqual({ deep: 'copy', flat: 'copy', deeper: 'copy' });
  });

  it('keeps a page of source objects together, in a fraction of their JSON text', async () => {
    const { syncId, store } = await orgA.sync();
    const people = Array.from({ length: 500 }, (_, i) => ({
      id: i,
      name: `Person ${i}`,
      email: `person${i}@example.test`,
      address: { city: ['Leiden', 'Delft', 'Utrecht'][i % 3], postcode: `${1000 + i} AB` },
      tags: ['customer', i % 2 ? 'lead' : 'partner'],
    }));
    await store.upsert(people.map((p) => state(`p${p.id}`, { originData: p })));
    const rows = await rowsOf(syncId);
    expect(new Map(rows.map((r) => [r.originId, r.originData]))).toEqual(
      new Map(people.map((p) => [`p${p.id}`, p])),
    );
    const [copies] = (
      await db.client.execute({
        sql: `SELECT count(*) AS n, sum(objects) AS objects, sum(live) AS live, sum(length(data)) AS bytes
          FROM source_copies WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
        args: [syncId],
      })
    ).rows;
    const text = people.reduce((sum, p) => sum + JSON.stringify(p).length, 0);
    expect(copies).toMatchObject({ n: 1, objects: 500, live: 500 });
    expect(Number(copies?.bytes)).toBeLessThan(text / 4);
    // Nothing of it in the contract rows.
    expect(new Set(Object.values(await storedAs(syncId)))).toEqual(new Set(['copy']));
  });

  it('reads back the source object a row held before source copies, as JSONB or as text', async () => {
    const { syncId, store } = await orgA.sync();
    const source = {
      id: 7,
      name: 'Ada "the first" Lovelace\n',
      score: 79.25,
      big: 12345678901234,
      tags: ['a', 'b', null, true, false],
      address: { city: 'Leiden', 'odd key': 'ü€𝄞' },
    };
    await store.upsert([withoutData(state('jsonb'))]);
    const held = async (value: string) =>
      db.client.execute({
        sql: `UPDATE contracts SET origin_data = ${value} WHERE origin_id = 'jsonb'
          AND sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
        args: [JSON.stringify(source), syncId],
      });
    // As the store wrote it from 2026-12-05 to migration 0048, then as before that.
    await held('jsonb(?)');
    expect(await storedAs(syncId)).toEqual({ jsonb: 'blob' });
    expect((await rowOf(syncId, 'jsonb')).originData).toEqual(source);
    await held('?');
    expect(await storedAs(syncId)).toEqual({ jsonb: 'text' });
    expect((await rowOf(syncId, 'jsonb')).originData).toEqual(source);
    // Written again, it moves into source copies, and the row holds it no more.
    await store.upsert([state('jsonb', { originData: { ...source, name: 'Ada' } })]);
    expect(await storedAs(syncId)).toEqual({ jsonb: 'copy' });
    const [inRow] = (
      await db.client.execute({
        sql: `SELECT origin_data FROM contracts WHERE origin_id = 'jsonb'
          AND sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
        args: [syncId],
      })
    ).rows;
    expect(inRow?.origin_data).toBeNull();
    expect((await rowOf(syncId, 'jsonb')).originData).toEqual({ ...source, name: 'Ada' });
  });

  it('keeps the stored origin data for a state without it, clears it for null, both in one call', async () => {
    const { syncId, store } = await orgA.sync();
    await store.upsert([
      state('a', { originData: { v: 1, id: 'a' } }),
      state('b', { originData: { v: 1, id: 'b' } }),
      state('c', { originData: { v: 1, id: 'c' } }),
    ]);

    const keptA = withoutData(state('a', { status: 'failed', lastAction: 'update', lastError: 'timeout' }));
    const newD = withoutData(state('d', { originHash: 'new' }));
    await store.upsert([
      keptA,
      state('b', { originData: null, originHash: 'cleared' }),
      state('c', { originData: { v: 2, id: 'c' } }),
      newD,
      state('e', { originData: { v: 1, id: 'e' } }),
    ]);

    const rows = Object.fromEntries((await rowsOf(syncId)).map((r) => [r.originId, r]));
    expect(Object.keys(rows)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(stateOf(rows.a!)).toEqual({ ...keptA, originData: { v: 1, id: 'a' } });
    expect(rows.b).toMatchObject({ originData: null, originHash: 'cleared' });
    expect(rows.c?.originData).toEqual({ v: 2, id: 'c' });
    expect(stateOf(rows.d!)).toEqual({ ...newD, originData: null });
    expect(rows.e?.originData).toEqual({ v: 1, id: 'e' });

    // Only states without origin data, replacing only: the data stays, the rest is replaced.
    await store.upsert([withoutData(state('c', { targetId: 'obj_c2' })), withoutData(state('e'))]);
    expect(await rowOf(syncId, 'c')).toMatchObject({ targetId: 'obj_c2', originData: { v: 2, id: 'c' } });
    expect((await rowOf(syncId, 'e')).originData).toEqual({ v: 1, id: 'e' });
  });
});
