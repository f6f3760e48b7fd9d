// An XML API that names its next page in an element with attributes — `<next rel="next">/books?page=2</next>`
// (text beside attributes) or `<next href="/books?page=2"/>` — with the next-link path set to that element
// (`catalog.next`). Before, Concord found the element but read no link in it, took page 1 for the last
// page, and the listing was complete: every book on the later pages was deleted (half of them here, not
// above the approval threshold). Now the text beside the attributes, or an `href` attribute, is the link;
// and a configured next-link path that holds something that is no link at all ends the listing in error,
// deleting nothing, instead of ending it as complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects, xmlToRegister } from '../helpers/sync-more';
import { runDirect } from '../helpers/sync-setup';
import { startServer, text, type TestServer } from './http/server';

type Style = 'text-beside-attributes' | 'href-attribute' | 'no-link';
let db: TestDatabase;
let peer: TestServer;
let style: Style = 'text-beside-attributes';
const books = Array.from({ length: 20 }, (_, i) => `b${i + 1}`);

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startServer((request, res) => {
    const page = Number(new URL(request.url, peer.origin).searchParams.get('page') ?? 1);
    const slice = books.slice((page - 1) * 10, page * 10);
    const next = `/books?page=${page + 1}`;
    const link =
      page * 10 >= books.length
        ? ''
        : style === 'text-beside-attributes'
          ? `<next rel="next">${next}</next>`
          : style === 'href-attribute'
            ? `<next href="${next}"/>`
            : `<next page="${page + 1}"/>`;
    const items = slice.map(
      (id) => `<book id="${id}"><title>T ${id}</title><price currency="EUR">1.50</price></book>`,
    );
    const body = `<?xml version="1.0"?>\n<catalog>\n${items.join('\n')}\n${link}\n</catalog>\n`;
    text(res, 200, body, { 'content-type': 'application/xml' });
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

const next = { kind: 'next-link', path: 'catalog.next' } as const;
const position = { resultsPosition: 'catalog.book', sourceIdField: '@attributes.id' };

describe('a next link in an XML element with attributes', () => {
  for (const shape of ['text-beside-attributes', 'href-attribute'] as const)
    it(`is followed (${shape}): every page is read`, async () => {
      style = shape;
      const s = await xmlToRegister(db.db, peer.origin, { sourceConfig: { ...position, pagination: next } });
      expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
        result: 'success',
        complete: true,
        created: 20,
        pagesFetched: 2,
      });
    });

  it('that holds no link ends the listing in error and deletes nothing', async () => {
    style = 'text-beside-attributes';
    const s = await xmlToRegister(db.db, peer.origin, { sourceConfig: { ...position, pagination: next } });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 20 });
    style = 'no-link';
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    style = 'text-beside-attributes';
    expect(run).toMatchObject({ result: 'error', complete: false, deleted: 0 });
    expect(run.message).toContain('Page 1 gave a next link that is not an http(s) URL');
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(20);
  });
});
