// A register schema's objects as the register page and the API list them (services/objects-list.ts):
// newest change first, paged by cursor — each object once however the list moves meanwhile —, totals
// that follow every change, a search by id start or by text, and only the organisation's objects.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, schemaSeqOf } from '@/server/db/schema';
import { listObjects, SEARCH_COUNTED } from '@/server/services/objects-list';
import { failure, ownerApi, type OwnerApi } from './helpers/owner-api';
import { newOrg } from './helpers/sync-more';

let s: OwnerApi;

beforeAll(async () => {
  s = await ownerApi();
});
afterAll(() => s.db.close());

/** A new schema holding `n` objects named Item 1 … Item n, written in that order, in one statement. */
async function schemaWith(
  n: number,
  data: (i: number) => Record<string, unknown> = (i) => ({ name: `Item ${i}` }),
) {
  const register = await s.api.registers.create({ orgId: s.orgId, name: `R${Math.random()}` });
  const schema = await s.api.registers.createSchema({
    orgId: s.orgId,
    registerId: register.id,
    name: 'Item',
    jsonSchema: {},
  });
  // In statements of 2,000 (SQLite's limit on parameters), in order.
  for (let from = 0; from < n; from += 2_000)
    await s.db.db.insert(objects).values(
      Array.from({ length: Math.min(2_000, n - from) }, (_, i) => ({
        schemaSeq: schemaSeqOf(schema.id),
        data: data(from + i + 1),
        hash: `h${from + i}`,
        createdAt: new Date(),
        updatedAtOffset: 0,
      })),
    );
  return schema.id;
}

type Page = Awaited<ReturnType<typeof listObjects>>;
const names = (page: Page) => page.rows.map((r) => String(r.data.name));
const list = (schemaId: string, q: Partial<Parameters<typeof listObjects>[3]> = {}) =>
  listObjects(s.db.db, s.orgId, schemaId, { pageSize: 10, ...q });

/** Every page from the first by `next`, and the pages seen. */
async function forward(schemaId: string, q: Partial<Parameters<typeof listObjects>[3]> = {}) {
  const pages: Page[] = [await list(schemaId, q)];
  while (pages.at(-1)!.next && pages.length < 1000)
    pages.push(await list(schemaId, { ...q, cursor: pages.at(-1)!.next! }));
  return pages;
}

describe("a schema's objects, newest change first", () => {
  it('pages forward and back through every object once, with the exact total', async () => {
    const schemaId = await schemaWith(95);
    const pages = await forward(schemaId);
    expect(pages).toHaveLength(10);
    expect(pages.flatMap(names)).toEqual(Array.from({ length: 95 }, (_, i) => `Item ${95 - i}`));
    expect(pages.every((p) => p.total === 95 && p.totalExact)).toBe(true);
    expect(pages[0]).toMatchObject({ previous: null, start: 0 });
    expect(pages.at(-1)).toMatchObject({ next: null, last: null });
    // Back from the end by `previous`: the very pages Next went through (the last one as short),
    // each object once, ending at the first page.
    const back: Page[] = [await list(schemaId, { cursor: pages[0]!.last! })];
    while (back.at(-1)!.previous) back.push(await list(schemaId, { cursor: back.at(-1)!.previous! }));
    expect(back.map(names)).toEqual(pages.map(names).reverse());
    expect(names(back[0]!)).toEqual(['Item 5', 'Item 4', 'Item 3', 'Item 2', 'Item 1']);
    expect(back.at(-1)).toMatchObject({ previous: null, start: 0 });
    // A whole number of pages: the last page is a full one.
    const lastOfFive = await list(schemaId, {
      pageSize: 5,
      cursor: (await list(schemaId, { pageSize: 5 })).last!,
    });
    expect(names(lastOfFive)).toEqual(['Item 5', 'Item 4', 'Item 3', 'Item 2', 'Item 1']);
  });

  it('shows each object once while new ones arrive and others change between pages', async () => {
    const schemaId = await schemaWith(30);
    const first = await list(schemaId);
    expect(names(first)).toEqual(Array.from({ length: 10 }, (_, i) => `Item ${30 - i}`));
    // Meanwhile: three new objects (they lead the list now) and Item 5 edited (it moves up to them).
    for (const name of ['New 1', 'New 2', 'New 3'])
      await s.api.registers.createObject({ orgId: s.orgId, schemaId, data: { name } });
    const five = (await list(schemaId, { search: '"Item 5"' })).rows[0]!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: five.id,
      version: five.version,
      data: { name: 'Item 5', colour: 'red' },
    });
    // Paging on from where the person was: no object of the first page again, none skipped.
    const rest: string[] = [];
    let next = first.next;
    while (next) {
      const page = await list(schemaId, { cursor: next });
      rest.push(...names(page));
      next = page.next;
    }
    expect(rest).toEqual(
      Array.from({ length: 20 }, (_, i) => `Item ${20 - i}`).filter((n) => n !== 'Item 5'),
    );
    const now = await list(schemaId);
    expect(names(now).slice(0, 4)).toEqual(['Item 5', 'New 3', 'New 2', 'New 1']);
    expect(now.total).toBe(33);
  });

  it('keeps a total only while nothing changed: a deletion, a restore and a new object count at once', async () => {
    const schemaId = await schemaWith(12);
    expect((await list(schemaId)).total).toBe(12);
    const [top] = (await list(schemaId)).rows;
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: top!.id });
    expect(await list(schemaId)).toMatchObject({ total: 11 });
    expect(await list(schemaId, { includeDeleted: true })).toMatchObject({ total: 12 });
    expect(names(await list(schemaId, { includeDeleted: true }))[0]).toBe('Item 12');
    // A write that no trigger of the feed sees would leave the kept count stale: there is none; an
    // object removed by SQL directly still moves the counter (objects_feed_delete).
    await s.db.db.run(sql`DELETE FROM objects WHERE id = ${(await list(schemaId)).rows[0]!.id}`);
    expect((await list(schemaId)).total).toBe(10);
    await s.api.registers.createObject({ orgId: s.orgId, schemaId, data: { name: 'Late' } });
    expect((await list(schemaId)).total).toBe(11);
  });

  it('lists objects that share a change number each once (the cursor holds the rowid too)', async () => {
    const schemaId = await schemaWith(5);
    // Not something Concord writes, but nothing in the table forbids it.
    await s.db.db.run(
      sql`UPDATE objects SET change_seq = (SELECT max(change_seq) FROM objects WHERE schema_seq = ${schemaSeqOf(schemaId)})
          WHERE schema_seq = ${schemaSeqOf(schemaId)}`,
    );
    const pages = await forward(schemaId, { pageSize: 2 });
    expect(pages.flatMap(names).sort()).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4', 'Item 5']);
  });

  it('pages plainly by position (the API’s start) in the same order', async () => {
    const schemaId = await schemaWith(25);
    const byCursor = (await forward(schemaId)).flatMap(names);
    const byStart = [];
    for (let start = 0; start < 25; start += 10) {
      const page = await list(schemaId, { start });
      expect(page.start).toBe(start);
      byStart.push(...names(page));
    }
    expect(byStart).toEqual(byCursor);
    const third = await list(schemaId, { start: 20 });
    expect(third).toMatchObject({ next: null });
    expect(names(await list(schemaId, { cursor: third.previous! }))).toEqual(byCursor.slice(10, 20));
  });
});

describe('searching', () => {
  it('finds an object by the start of its id, few or many matches', async () => {
    const schemaId = await schemaWith(2_100);
    const all = await list(schemaId, { pageSize: 200 });
    const one = all.rows[7]!;
    expect(await list(schemaId, { search: one.id })).toMatchObject({
      total: 1,
      totalExact: true,
      rows: [{ id: one.id }],
    });
    expect(await list(schemaId, { search: one.id.slice(0, -1) + '!' })).toMatchObject({ total: 0, rows: [] });
    // A deleted object is found by its id only when deleted ones are asked for.
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: one.id });
    expect(await list(schemaId, { search: one.id })).toMatchObject({ total: 0, rows: [] });
    expect(await list(schemaId, { search: one.id, includeDeleted: true })).toMatchObject({ total: 1 });
    // Every id starts with obj_: more than are fetched and sorted, so the list's order is walked.
    const every = await forward(schemaId, { search: 'obj_', pageSize: 200 });
    expect(every[0]!.total).toBe(2_099);
    expect(every.flatMap((p) => p.rows.map((r) => r.id))).toEqual(
      (await forward(schemaId, { pageSize: 200 })).flatMap((p) => p.rows.map((r) => r.id)),
    );
  });

  it('matches text anywhere in the data, its own % and _ literally, case aside', async () => {
    const schemaId = await schemaWith(40, (i) => ({
      name: `Item ${i}`,
      note: i % 10 === 0 ? '50% off' : i % 10 === 1 ? '50 off' : i === 7 ? 'snake_case' : 'plain',
    }));
    const percent = await list(schemaId, { search: '50%' });
    expect(names(percent)).toEqual(['Item 40', 'Item 30', 'Item 20', 'Item 10']);
    expect(percent).toMatchObject({ total: 4, totalExact: true });
    expect(names(await list(schemaId, { search: 'SNAKE_' }))).toEqual(['Item 7']);
    expect((await list(schemaId, { search: 'snake%' })).total).toBe(0);
    // More matches than a page: counted, and paged like the whole list.
    const plain = await forward(schemaId, { search: 'plain' });
    expect(plain[0]!.total).toBe(40 - 4 - 4 - 1);
    expect(plain.flatMap(names)).toHaveLength(31);
  });
});

describe('a search with many matches', () => {
  it('is counted up to 10,000, or all of them for plain paging', async () => {
    const schemaId = await schemaWith(SEARCH_COUNTED + 50, (i) => ({ name: `Item ${i}`, colour: 'teal' }));
    expect(await list(schemaId, { search: 'teal' })).toMatchObject({
      total: SEARCH_COUNTED,
      totalExact: false,
    });
    expect(await list(schemaId, { search: 'teal', start: 0, countAll: true })).toMatchObject({
      total: SEARCH_COUNTED + 50,
      totalExact: true,
    });
    // The whole count kept is then the one every later page of either kind shows.
    expect(await list(schemaId, { search: 'teal' })).toMatchObject({
      total: SEARCH_COUNTED + 50,
      totalExact: true,
    });
    // 10,050 objects written and searched three times: a minute and more on a loaded 2-core machine.
  }, 120_000);
});

describe('an id prefix with few matches', () => {
  it('pages forward and back like the whole list', async () => {
    const schemaId = await schemaWith(25);
    const whole = (await forward(schemaId)).flatMap(names);
    const pages = await forward(schemaId, { search: 'obj_' });
    expect(pages.map((p) => p.rows.length)).toEqual([10, 10, 5]);
    expect(pages.flatMap(names)).toEqual(whole);
    expect(pages[0]).toMatchObject({ total: 25, totalExact: true });
    const last = await list(schemaId, { search: 'obj_', cursor: pages[0]!.last! });
    expect(names(last)).toEqual(whole.slice(-5));
    const before = await list(schemaId, { search: 'obj_', cursor: last.previous! });
    expect(names(before)).toEqual(whole.slice(10, 20));
  });
});

describe('the gate', () => {
  it("refuses another organisation's schema and a cursor Concord did not give", async () => {
    const schemaId = await schemaWith(3);
    const other = await newOrg(s.db.db);
    expect(await failure(other.api.registers.objects({ orgId: other.orgId, schemaId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    // A cursor of another schema's list is no place in this one.
    const elsewhere = (await list(await schemaWith(12))).next!;
    expect(
      await failure(s.api.registers.objects({ orgId: s.orgId, schemaId, cursor: elsewhere })),
    ).toMatchObject({ code: 'BAD_REQUEST', field: 'cursor' });
    expect(
      await failure(s.api.registers.objects({ orgId: s.orgId, schemaId, cursor: 'garbage' })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'cursor',
    });
  });
});
