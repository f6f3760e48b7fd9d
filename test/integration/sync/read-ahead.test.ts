// The embedded runner fetches page n+1 while page n is processed. Against a real json-server, an instant
// source and a slow one: every page is still requested exactly once and in order — across the runner's
// executions of 100 pages too — and a page that fails while it is read ahead ends the run exactly as a
// page fetched in turn would — in error, deleting nothing.
import { and, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startFastSource, type FastSourceOptions } from '../helpers/fast-source';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';

let db: TestDatabase;
const peers: { stop(): Promise<void> }[] = [];

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
async function pagesRequested(peer: Pick<JsonServer, 'requests'>): Promise<number[]> {
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
      .where(and(ofSchema(setup.schema.id), isNull(objects.deletedAt)));
    expect(live).toHaveLength(45);
    // Page 4 twice: the HTTP client's own retry (two attempts in these tests); nothing after it.
    expect((await pagesRequested(peer)).slice(5)).toEqual([1, 2, 3, 4, 4]);
  });
});

describe("requests equal pages, whatever the source's speed", () => {
  const PAGES = 250; // more than one execution of the embedded runner (100 pages each)
  const pageNumbers = Array.from({ length: PAGES }, (_, i) => i + 1);

  async function fastPeer(options: FastSourceOptions) {
    const peer = await startFastSource({ people: people(PAGES * 2) }, options);
    peers.push(peer);
    const setup = await restToRegister(db.db, peer.url, {
      sourceEndpoint: '/people?_page=1&_limit=2',
      sourceConfig: { pagination: { kind: 'link-header' }, maxPages: 1000 },
    });
    return { peer, setup };
  }

  it('an instant source is asked for each page once, in order, on the first run and the next', async () => {
    const { peer, setup } = await fastPeer({});
    const run = await runDirect(db.db, setup.orgId, setup.sync.id);
    expect(run).toMatchObject({ result: 'success', created: PAGES * 2, pagesFetched: PAGES });
    expect(await pagesRequested(peer)).toEqual(pageNumbers);

    const again = await runDirect(db.db, setup.orgId, setup.sync.id);
    expect(again).toMatchObject({ result: 'success', skipped: PAGES * 2, pagesFetched: PAGES });
    expect(await pagesRequested(peer)).toEqual([...pageNumbers, ...pageNumbers]);
  });

  it('a slow source whose headers come before its bodies is asked for each page once, in order', async () => {
    const { peer, setup } = await fastPeer({ delayMs: 2, bodyDelayMs: 5 });
    const run = await runDirect(db.db, setup.orgId, setup.sync.id);
    expect(run).toMatchObject({ result: 'success', created: PAGES * 2, pagesFetched: PAGES });
    expect(await pagesRequested(peer)).toEqual(pageNumbers);
  });
});
