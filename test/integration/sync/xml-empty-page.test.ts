// An XML API has no empty list: a page without objects is its container with nothing in it
// (`<catalog page="3"/>`). Before, such a page was read as a results position the answer did not have:
// a listing by page numbers, which ends on an empty page, ended in error on every run, and an
// incremental run that found no changes did too. Now an empty container is an empty page, as `[]` is
// in JSON; a container that holds other elements but not the configured one still ends the listing in
// error (the results position may be wrong, or the page is an error document), deleting nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects, xmlToRegister } from '../helpers/sync-more';
import { runDirect } from '../helpers/sync-setup';
import { startServer, text, type TestServer } from './http/server';

const T0 = '2024-05-01T10:00:00Z';
let db: TestDatabase;
let peer: TestServer;
let books = Array.from({ length: 20 }, (_, i) => ({ id: `b${i + 1}`, price: `${i + 1}.50`, updated: T0 }));
let errorDocument = false;

const bookXml = (b: (typeof books)[number]) =>
  `<book id="${b.id}" updated="${b.updated}"><title>Book ${b.id}</title><price currency="EUR">${b.price}</price></book>`;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startServer((request, res) => {
    const url = new URL(request.url, peer.origin);
    const page = Number(url.searchParams.get('page') ?? 1);
    // Changes strictly after the time asked for, as many APIs read `updated_after`.
    const after = url.searchParams.get('updated_after');
    const listed = books.filter((b) => !after || b.updated > after);
    const slice = listed.slice((page - 1) * 10, page * 10);
    const inside = errorDocument ? '<error>Session expired</error>' : slice.map(bookXml).join('\n');
    const body = `<?xml version="1.0"?>\n<catalog page="${page}">\n${inside}\n</catalog>\n`;
    text(res, 200, body, { 'content-type': 'application/xml' });
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

const pages = { kind: 'page-number', param: 'page' } as const;
const position = { resultsPosition: 'catalog.book', sourceIdField: '@attributes.id' };

describe('an XML page with no objects', () => {
  it('ends a listing by page numbers, complete; an error document in its place deletes nothing', async () => {
    const s = await xmlToRegister(db.db, peer.origin, { sourceConfig: { ...position, pagination: pages } });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      complete: true,
      created: 20,
      pagesFetched: 3,
    });

    books = books.filter((b) => b.id !== 'b5');
    errorDocument = true;
    const refused = await runDirect(db.db, s.orgId, s.sync.id);
    errorDocument = false;
    expect(refused).toMatchObject({ result: 'error', complete: false, deleted: 0 });
    expect(refused.message).toMatch(/Page 1: The response has no "catalog.book"/);
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(20);

    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      complete: true,
      deleted: 1,
      skipped: 19,
    });
  });

  it('is an incremental run that found no changes: it succeeds, and finds the next change', async () => {
    const s = await xmlToRegister(db.db, peer.origin, {
      sourceConfig: {
        ...position,
        pagination: pages,
        incremental: { field: '@attributes.updated', query: 'updated_after={{cursor}}', lookbackSeconds: 0 },
      },
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 19 });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      found: 0,
      created: 0,
      updated: 0,
    });
    books = books.map((b) => (b.id === 'b7' ? { ...b, price: '99.00', updated: '2024-05-02T10:00:00Z' } : b));
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', updated: 1 });
  });
});
