// A REST source pages by number and says how many pages it has (`meta.totalPages`), not how many
// objects. It answers page 3 of 5 empty (200, `data: []`). Before, that empty page ended a complete
// listing and every object on pages 3 to 5 was planned for deletion — held here only because they were
// more than half; fewer would have been deleted. Now the listing is incomplete: nothing is deleted or
// held, the run is a warning naming the page and the pages announced, and the next healthy run
// deletes as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects } from '../helpers/sync-more';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';
import { json, startServer, type TestServer } from './http/server';

let db: TestDatabase;
let peer: TestServer;
let list = people(45);
let emptyPage: number | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startServer((request, res) => {
    const page = Number(new URL(request.url, peer.origin).searchParams.get('page') ?? 1);
    const data = page === emptyPage ? [] : list.slice((page - 1) * 10, page * 10);
    json(res, 200, { data, meta: { page, totalPages: Math.ceil(list.length / 10) } });
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

describe('an empty page before the last page the source announced', () => {
  it('deletes nothing, says so, and the next healthy listing deletes as usual', async () => {
    const s = await restToRegister(db.db, peer.origin, {
      sourceEndpoint: '/people',
      sourceConfig: { resultsPosition: 'data', pagination: { kind: 'page-number', param: 'page' } },
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 45 });

    list = list.filter((p) => p.id !== 2);
    emptyPage = 3;
    const glitch = await runDirect(db.db, s.orgId, s.sync.id);
    expect(glitch).toMatchObject({ result: 'warning', complete: false, deleted: 0, held: 0 });
    expect(glitch.message).toContain('Page 3 was empty though the source announced 5 pages');
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(45);

    emptyPage = null;
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      complete: true,
      deleted: 1,
    });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(44);
  });
});
