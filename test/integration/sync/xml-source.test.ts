// An XML API into the register through the API: paged XML from a real HTTP server (next link in the body),
// objects at `catalog.book`, ids from an attribute, text beside attributes mapped and cast. First run
// creates all, a re-run skips all, a change updates, a removal deletes, a malformed page deletes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects, xmlToRegister } from '../helpers/sync-more';
import { runDirect, runThroughApi } from '../helpers/sync-setup';
import { books, startXmlServer, type XmlServer } from '../helpers/xml-server';

let db: TestDatabase;
let peer: XmlServer;
let s: Awaited<ReturnType<typeof xmlToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  // 25 books, 10 a page: three pages. One title needs XML escaping.
  const list = books(25);
  list[3]!.title = 'Pride & Prejudice <annotated>';
  peer = await startXmlServer(list, 10);
  s = await xmlToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
const live = () => liveObjects(db.db, s.schema.id);
async function byOrigin() {
  const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 100 });
  const objects = new Map((await live()).map((o) => [o.id, o.data]));
  return new Map(rows.map((c) => [c.originId, { contract: c, data: objects.get(c.targetId ?? '') }]));
}

describe('XML source into the register', () => {
  it('creates every book on the first run, reading text, #text and @attributes with casts', async () => {
    peer.requests.length = 0;
    expect(await run()).toMatchObject({
      result: 'success',
      found: 25,
      created: 25,
      invalid: 0,
      failed: 0,
      pagesFetched: 3,
      complete: true,
    });
    expect(peer.requests).toEqual(['/books', '/books?page=2', '/books?page=3']);
    expect(await live()).toHaveLength(25);
    const books = await byOrigin();
    expect([...books.keys()].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `b${i + 1}`).sort());
    expect(books.get('b1')?.data).toEqual({ title: 'Book 1', price: 10.5, currency: 'USD' });
    expect(books.get('b4')?.data).toEqual({
      title: 'Pride & Prejudice <annotated>',
      price: 13.5,
      currency: 'USD',
    });
    expect(books.get('b25')?.data).toEqual({ title: 'Book 25', price: 34.5, currency: 'USD' });
    expect([...books.values()].every((b) => b.contract.status === 'synced')).toBe(true);
  });

  it('skips every book on an unchanged re-run', async () => {
    const before = (await live()).map((o) => [o.id, o.version, o.updatedAt.getTime()]);
    expect(await run()).toMatchObject({ result: 'success', found: 25, skipped: 25, created: 0, updated: 0 });
    expect((await live()).map((o) => [o.id, o.version, o.updatedAt.getTime()])).toEqual(before);
  });

  it('updates a book whose price changed, and only that one', async () => {
    const book = peer.books.find((b) => b.id === 'b12')!;
    book.price = '99.95';
    book.currency = 'GBP';
    expect(await run()).toMatchObject({ result: 'success', updated: 1, skipped: 24, created: 0, deleted: 0 });
    const after = await byOrigin();
    expect(after.get('b12')?.data).toEqual({ title: 'Book 12', price: 99.95, currency: 'GBP' });
    expect(after.get('b12')?.contract).toMatchObject({ lastAction: 'update', status: 'synced' });
  });

  it('deletes a book that is no longer listed', async () => {
    peer.books = peer.books.filter((b) => b.id !== 'b7');
    expect(await run()).toMatchObject({ result: 'success', found: 24, deleted: 1, skipped: 24 });
    const after = await byOrigin();
    expect(after.get('b7')).toMatchObject({ contract: { status: 'deleted' }, data: undefined });
    expect(await live()).toHaveLength(24);
  });

  it('ends in error on a malformed page and deletes nothing', async () => {
    // Book 20 leaves the catalogue, so a deletion would be due — but page 2 cannot be read.
    peer.books = peer.books.filter((b) => b.id !== 'b20');
    peer.breakPage(2);
    try {
      const result = await runDirect(db.db, s.orgId, s.sync.id);
      expect(result).toMatchObject({ result: 'error', complete: false, deleted: 0 });
      expect(result.message).toMatch(/page=2|page 2/);
      expect(result.message).toMatch(/XML at line 4/);
      expect(result.message).toMatch(/nothing was deleted|no deletions|deleted nothing/i);
    } finally {
      peer.breakPage(null);
    }
    expect(await live()).toHaveLength(24);
    expect((await byOrigin()).get('b20')?.contract.status).toBe('synced');
    // Readable again: the next run completes and the deletion happens then.
    expect(await run()).toMatchObject({ result: 'success', complete: true, deleted: 1 });
    expect(await live()).toHaveLength(23);
  });
});
