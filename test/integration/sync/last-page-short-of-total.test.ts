// json-server pages by the Link header and counts its objects in X-Total-Count (45, five pages of 10).
// One answer — page 3 — comes without its Link header (a proxy or a cache that drops it), so the listing
// takes it for the last page. Before, that listing was complete with 30 of the 45 objects the source
// itself announced, and the 15 on pages 4 and 5 were deleted (a third: under the approval threshold). Now
// a listing that ends a page or more short of the total the source's header announced is not complete:
// nothing is deleted, the run is a warning that says so, and the next healthy listing deletes as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { liveObjects } from '../helpers/sync-more';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(45) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('a page that lost its next link while the source announced more', () => {
  it('deletes nothing, says so, and the next healthy listing deletes as usual', async () => {
    const s = await restToRegister(db.db, peer.url);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 45 });

    await fetch(`${peer.url}/people/44`, { method: 'DELETE' });
    await peer.faults([
      {
        path: '/people',
        page: 3,
        status: 200,
        headers: { 'content-type': 'application/json', 'x-total-count': '44' },
        body: people(10, 21),
      },
    ]);
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'warning', complete: false, deleted: 0, pagesFetched: 3 });
    expect(run.message).toContain(
      'Page 3 was the last page though the source announced 44 objects and 30 were listed',
    );
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(45);

    await peer.clearFaults();
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      complete: true,
      deleted: 1,
    });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(44);
  });
});
