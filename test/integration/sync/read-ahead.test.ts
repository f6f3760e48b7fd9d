// The embedded runner fetches page n+1 while page n is processed. Against a real json-server: every page
// is still requested exactly once and in order, and a page that fails while it is read ahead ends the
// run exactly as a page fetched in turn would — in error, deleting nothing.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { objects } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
afterAll(() => db.close());

async function peerWith(count: number) {
  const peer = await startJsonServer({ people: people(count) });
  peers.push(peer);
  return peer;
}

/** The `_page` of every listing request the peer served, in the order it served them. */
async function pagesRequested(peer: JsonServer): Promise<number[]> {
  return (await peer.requests())
    .filter((r) => r.method === 'GET' && r.url.startsWith('/people?'))
    .map((r) => Number(new URLSearchParams(r.url.split('?')[1]).get('_page')));
}

describe('pages read ahead', () => {
  it('requests every page exactly once, in order, and syncs every object', async () => {
    const peer = await peerWith(45);
    const setup = await restToRegister(db.db, peer.url);
    const run = await runDirect(db.db, setup.orgId, setup.sync.id);
    expect(run).toMatchObject({ result: 'success', created: 45, pagesFetched: 5 });
    expect(await pagesRequested(peer)).toEqual([1, 2, 3, 4, 5]);

    const again = await runDirect(db.db, setup.orgId, setup.sync.id);
    expect(again).toMatchObject({ result: 'success', skipped: 45, pagesFetched: 5 });
    expect(await pagesRequested(peer)).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
  });

  it('a page that fails while read ahead ends the run in error and deletes nothing', async () => {
    const peer = await peerWith(45);
    const setup = await restToRegister(db.db, peer.url);
    expect(await runDirect(db.db, setup.orgId, setup.sync.id)).toMatchObject({ created: 45 });
    await fetch(`${peer.url}/people/7`, { method: 'DELETE' });
    await peer.faults([{ path: '/people', page: 4, status: 500, body: 'Internal error' }]);

    const failed = await runDirect(db.db, setup.orgId, setup.sync.id);
    expect(failed).toMatchObject({ result: 'error', complete: false, deleted: 0, pagesFetched: 3 });
    const live = await db.db
      .select({ id: objects.id })
      .from(objects)
      .where(and(eq(objects.schemaId, setup.schema.id), isNull(objects.deletedAt)));
    expect(live).toHaveLength(45);
    // Page 4 twice: the HTTP client's own retry (two attempts in these tests); nothing after it.
    expect((await pagesRequested(peer)).slice(5)).toEqual([1, 2, 3, 4, 4]);
  });
});
