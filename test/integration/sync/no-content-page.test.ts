// A REST source that answers a listing with nothing in it as many APIs do: 204 No Content. Before, the
// page was "answered 204 No Content with an empty body", a failed page: an incremental run that found
// no changes ended in error every time, and so did a listing whose last page was empty. A 204 says by
// its status that there is nothing: it is now an empty page (an empty body with 200 still fails the
// page, as a listing must not look empty by accident), and an empty page before the total the source
// announced still deletes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects } from '../helpers/sync-more';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';
import { json, startServer, text, type TestServer } from './http/server';

const T0 = '2024-05-01T10:00:00Z';
let db: TestDatabase;
let peer: TestServer;
let list = people(25).map((p) => ({ ...p, updatedAt: T0 }));
let total: number | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startServer((request, res) => {
    const url = new URL(request.url, peer.origin);
    const page = Number(url.searchParams.get('page') ?? 1);
    const after = url.searchParams.get('updated_after');
    const listed = list.filter((p) => !after || p.updatedAt > after);
    const slice = listed.slice((page - 1) * 10, page * 10);
    if (slice.length === 0) return text(res, 204, '', total === null ? {} : { 'x-total-count': `${total}` });
    json(res, 200, { data: slice }, total === null ? {} : { 'x-total-count': `${total}` });
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

const pages = { kind: 'page-number', param: 'page' } as const;

describe('a listing page answered 204 No Content', () => {
  it('ends a listing by page numbers, complete, and deletes what is gone', async () => {
    const s = await restToRegister(db.db, peer.origin, {
      sourceEndpoint: '/people',
      sourceConfig: { resultsPosition: 'data', pagination: pages },
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      complete: true,
      created: 25,
      pagesFetched: 4,
    });
    list = list.filter((p) => p.id !== 7);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', deleted: 1 });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(24);
  });

  it('is an incremental run that found no changes: it succeeds, and finds the next change', async () => {
    const s = await restToRegister(db.db, peer.origin, {
      sourceEndpoint: '/people',
      sourceConfig: {
        resultsPosition: 'data',
        pagination: pages,
        incremental: { field: 'updatedAt', query: 'updated_after={{cursor}}', lookbackSeconds: 0 },
      },
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 24 });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', found: 0 });
    list = list.map((p) => (p.id === 3 ? { ...p, name: 'Renamed', updatedAt: '2024-05-02T10:00:00Z' } : p));
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', updated: 1 });
  });

  it('before the total the source announced, deletes nothing', async () => {
    const s = await restToRegister(db.db, peer.origin, {
      sourceEndpoint: '/people',
      sourceConfig: { resultsPosition: 'data', pagination: pages },
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: 24 });
    total = 40;
    list = list.filter((p) => p.id !== 9);
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    total = null;
    expect(run).toMatchObject({ result: 'warning', complete: false, deleted: 0 });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(24);
  });
});
