// A REST source pages by number without a total and answers a number past its last page with that page
// again (it clamps the number), as many APIs do. Before, page 4 repeated page 3, the identical-page
// guard stopped the listing incomplete every run, and an object deleted at the source was never deleted
// from the register (a warning every run). Now the second repeat in a row ends a complete listing at
// page 3: the objects are created once, a deletion at the source is carried out, and the run says why
// the listing ended there. An API that ignores the page number (page 2 = page 1) still deletes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects } from '../helpers/sync-more';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';
import { json, startServer, type TestServer } from './http/server';

let db: TestDatabase;
let peer: TestServer;
let list = people(25);
let ignoresPage = false;
const asked: number[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startServer((request, res) => {
    const asked_ = Number(new URL(request.url, peer.origin).searchParams.get('page') ?? 1);
    asked.push(asked_);
    const last = Math.max(1, Math.ceil(list.length / 10));
    const page = ignoresPage ? 1 : Math.min(asked_, last);
    json(res, 200, list.slice((page - 1) * 10, page * 10));
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

describe('a page-number API that answers numbers past its last page with that page', () => {
  it('lists each object once, completes, and carries out a deletion at the source', async () => {
    const s = await restToRegister(db.db, peer.origin, {
      sourceEndpoint: '/people',
      sourceConfig: { pagination: { kind: 'page-number', param: 'page' } },
    });
    const first = await runDirect(db.db, s.orgId, s.sync.id);
    expect(first).toMatchObject({ result: 'success', complete: true, created: 25 });
    expect(asked).toEqual([1, 2, 3, 4, 5]);
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(25);

    list = list.filter((p) => p.id !== 7);
    const second = await runDirect(db.db, s.orgId, s.sync.id);
    expect(second).toMatchObject({ result: 'success', complete: true, deleted: 1, created: 0 });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(24);
    const timeline = (await s.api.runs.timeline({ orgId: s.orgId, runId: second.id, pageSize: 500 })).rows;
    expect(timeline.find((l) => l.kind === 'listing-end')?.detail).toBe(
      'The listing is complete: 3 pages read; the numbers after page 3 answered that page again, so it is the last.',
    );
  });

  it('an API that ignores the page number still deletes nothing', async () => {
    const s = await restToRegister(db.db, peer.origin, {
      sourceEndpoint: '/people',
      sourceConfig: { pagination: { kind: 'page-number', param: 'page' } },
    });
    ignoresPage = true;
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'warning', complete: false, deleted: 0 });
    expect(run.message).toContain('identical to the page before it');
    ignoresPage = false;
  });
});
