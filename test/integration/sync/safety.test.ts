// The safety rules of the brief, each against a real json-server with a fault armed: a listing that is
// not complete deletes nothing, too many deletions wait for approval, one bad object does not stop the
// run, restrictDeletion matches exactly, and a paging loop ends.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, objects, ofSchema, ofSynchronisation } from '@/server/db/schema';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type Fault, type JsonServer } from '../helpers/json-server';
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

/** 45 people synced once (5 pages), then `removed` deleted from the source so a deletion is due. */
async function syncedThenRemoved(removed: number[], sync: Partial<SynchronisationInput> = {}, count = 45) {
  const peer = await startJsonServer({ people: people(count) });
  peers.push(peer);
  const setup = await restToRegister(db.db, peer.url, sync);
  const first = await runDirect(db.db, setup.orgId, setup.sync.id);
  expect(first).toMatchObject({ result: 'success', created: count });
  for (const id of removed) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
  const live = () =>
    db.db
      .select()
      .from(objects)
      .where(and(ofSchema(setup.schema.id), isNull(objects.deletedAt)));
  const run = () => runDirect(db.db, setup.orgId, setup.sync.id);
  return { peer, setup, live, run };
}

const PAGE_3 = { path: '/people', page: 3 };

describe.each<[string, Fault]>([
  ['a 500 on page 3', { ...PAGE_3, status: 500, body: 'Internal error' }],
  [
    'a 429 that outlasts the retry budget',
    { ...PAGE_3, status: 429, headers: { 'retry-after': '1' }, body: 'slow down' },
  ],
  ['an empty body on page 3', { ...PAGE_3, status: 200, body: '' }],
  [
    'garbage instead of JSON on page 3',
    { ...PAGE_3, status: 200, headers: { 'content-type': 'application/json' }, body: '{"oops' },
  ],
])('%s', (_name, fault) => {
  it('ends the run in error and deletes nothing', async () => {
    const { peer, live, run } = await syncedThenRemoved([2]);
    await peer.faults([fault]);
    const result = await run();
    expect(result.result).toBe('error');
    expect(result.complete).toBe(false);
    expect(result.deleted).toBe(0);
    expect(result.message).toMatch(/page 3|_page=3/i);
    expect(result.message).toMatch(/nothing was deleted|no deletions|deleted nothing/i);
    expect(await live()).toHaveLength(45);
  });
});

describe('incomplete listings', () => {
  it('a missing results path is an error that deletes nothing', async () => {
    const { setup, live } = await syncedThenRemoved([2]);
    await setup.api.synchronisations.update({
      orgId: setup.orgId,
      syncId: setup.sync.id,
      ...setup.input,
      sourceConfig: { pagination: { kind: 'link-header' }, resultsPosition: 'data.items' },
    });
    const result = await runDirect(db.db, setup.orgId, setup.sync.id);
    expect(result).toMatchObject({ result: 'error', deleted: 0, complete: false });
    expect(result.message).toMatch(/data\.items/);
    expect(await live()).toHaveLength(45);
  });

  it('hitting the page cap is a warning that deletes nothing', async () => {
    const { setup, live, run } = await syncedThenRemoved([44], {}, 60);
    await setup.api.synchronisations.update({
      orgId: setup.orgId,
      syncId: setup.sync.id,
      ...setup.input,
      sourceConfig: { pagination: { kind: 'link-header' }, maxPages: 5 },
    });
    const result = await run();
    expect(result).toMatchObject({ result: 'warning', deleted: 0, complete: false, pagesFetched: 5 });
    expect(result.message).toMatch(/5 pages|page cap|maxPages|limit of 5/i);
    expect(await live()).toHaveLength(60);
  });

  it('a paging loop ends with a warning and deletes nothing', async () => {
    const { peer, live, run } = await syncedThenRemoved([2]);
    // Page 3 claims its next page is page 2 again.
    await peer.faults([
      {
        ...PAGE_3,
        status: 200,
        headers: {
          'content-type': 'application/json',
          link: `<${peer.url}/people?_page=2&_limit=10>; rel="next"`,
        },
        body: people(10, 21),
      },
    ]);
    const result = await run();
    expect(result).toMatchObject({ result: 'warning', deleted: 0, complete: false });
    expect(result.message).toMatch(/loop|already/i);
    expect(await live()).toHaveLength(45);
  });
});

describe('a last page that links to itself', () => {
  it('ends a complete listing, so an object gone from the source is deleted', async () => {
    const { peer, live, run } = await syncedThenRemoved([2]);
    // 44 people left: json-server's page 5 (41–45 without 2 is 42–45) names no next page. This API
    // names the page itself instead, as some do on their last page.
    await peer.faults([
      {
        path: '/people',
        page: 5,
        status: 200,
        headers: {
          'content-type': 'application/json',
          link: `<${peer.url}/people?_limit=10&_page=5>; rel="next"`,
        },
        body: people(45).slice(41),
      },
    ]);
    const result = await run();
    expect(result).toMatchObject({ result: 'success', complete: true, pagesFetched: 5, deleted: 1 });
    expect((await live()).map((o) => o.data.name)).not.toContain('Person 2');
    expect(await live()).toHaveLength(44);
  });
});

describe('objects without an id', () => {
  it('a listing that holds one deletes nothing, since it may be the missing object, and says so', async () => {
    const { peer, live, run } = await syncedThenRemoved([2]);
    // Person 2 is gone from the source, and page 1 holds an object whose id cannot be read.
    const [first, ...rest] = people(11).filter((p) => p.id !== 2);
    await peer.faults([
      {
        path: '/people',
        page: 1,
        status: 200,
        headers: {
          'content-type': 'application/json',
          link: `<${peer.url}/people?_page=2&_limit=10>; rel="next"`,
        },
        body: [first, { name: 'Someone', email: 'someone@example.test' }, ...rest.slice(0, 8)],
      },
    ]);
    const result = await run();
    expect(result).toMatchObject({ result: 'warning', complete: true, deleted: 0, invalid: 1 });
    expect(result.message).toMatch(/no usable id .*deleted nothing/);
    expect(await live()).toHaveLength(45);
  });
});

describe('deletions', () => {
  it('holds deletions above the threshold for approval instead of applying them', async () => {
    const { setup, live, run } = await syncedThenRemoved(Array.from({ length: 30 }, (_, i) => i + 1));
    const result = await run();
    expect(result).toMatchObject({ result: 'warning', deleted: 0, held: 30 });
    expect(result.message).toMatch(/approv/i);
    expect(await live()).toHaveLength(45);
    const held = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(and(ofSynchronisation(setup.sync.id), eq(contracts.status, 'held')));
    expect(held).toHaveLength(30);
  });

  it('restrictDeletion matches origin ids exactly, never as substrings', async () => {
    const { live, run } = await syncedThenRemoved([1, 11, 21], { restrictDeletion: ['1'] });
    const result = await run();
    expect(result).toMatchObject({ deleted: 1 });
    const names = (await live()).map((o) => o.data.name);
    expect(names).not.toContain('Person 1');
    expect(names).toContain('Person 11');
    expect(names).toContain('Person 21');
  });
});

describe('bad objects', () => {
  it('counts an object without an id and one invalid for the schema as invalid while the rest sync', async () => {
    const peer = await startJsonServer({ people: people(25) });
    peers.push(peer);
    const page1 = people(10);
    const broken = [
      { name: 'No id', email: 'x@example.test' },
      { ...page1[1]!, name: 42 },
      ...page1.slice(2),
    ];
    await peer.faults([
      {
        path: '/people',
        page: 1,
        status: 200,
        headers: {
          'content-type': 'application/json',
          link: `<${peer.url}/people?_page=2&_limit=10>; rel="next"`,
        },
        body: broken,
      },
    ]);
    const setup = await restToRegister(db.db, peer.url, { mappingId: null });
    const result = await runDirect(db.db, setup.orgId, setup.sync.id);
    // Both were refused by Concord before anything was written: invalid, not failed (that is the target's).
    expect(result).toMatchObject({ result: 'warning', invalid: 2, failed: 0, created: 23 });
    const entries = await setup.api.runs.entries({ orgId: setup.orgId, runId: result.id });
    expect(entries.rows).toContainEqual(
      expect.objectContaining({
        action: 'invalid',
        originId: null,
        reason:
          'The object at position 1 on page 1 has no usable id: it has no "id" field (the id field of the synchronisation)',
      }),
    );
    expect(entries.rows).toContainEqual(
      expect.objectContaining({ action: 'invalid', originId: '2', reason: expect.stringMatching(/name/) }),
    );
  });
});
