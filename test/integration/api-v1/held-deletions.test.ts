// Held deletions through /api/v1, as a program reviewing them would: which synchronisations hold some and
// why (the threshold), the objects they would delete (paged), rejecting (the objects stay) and approving
// (an approval run deletes them). Approving and rejecting take the `write` scope, not `run`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';
import { apiClient, problemOf, raw, useDatabase } from './client';
import { holdDeletions, runEnded } from './review-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
const keys: Record<'read' | 'write' | 'run', string> = { read: '', write: '', run: '' };
const REMOVED = [1, 2, 3, 4];

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(6) });
  s = await restToRegister(db.db, peer.url);
  for (const scope of ['read', 'write', 'run'] as const)
    keys[scope] = (
      await s.api.apiKeys.create({ orgId: s.orgId, name: `reviewer ${scope}`, scopes: [scope] })
    ).key;
  // 4 of 6 people gone at once: more than the 50 % threshold, so the run holds the 4 deletions.
  await holdDeletions(s, peer.url, REMOVED);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const reader = () => apiClient(keys.read);
const writer = () => apiClient(keys.write);
const syncPath = () => ({ params: { path: { syncId: s.sync.id } } });

async function heldOriginIds() {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await reader().GET('/synchronisations/{syncId}/held-deletions', {
      params: { path: { syncId: s.sync.id }, query: { limit: 3, cursor } },
    });
    ids.push(...data!.items.map((i) => i.originId));
    cursor = data!.nextCursor ?? undefined;
  } while (cursor);
  return ids.sort();
}

describe('listing held deletions', () => {
  it('names each synchronisation that holds some, how many, and the threshold they went over', async () => {
    const { data, response } = await reader().GET('/held-deletions');
    expect(response.status).toBe(200);
    expect(data!.items).toEqual([
      {
        synchronisationId: s.sync.id,
        synchronisationName: 'People into the directory',
        count: 4,
        threshold: 0.5,
        reason: expect.stringContaining('4 of 6 objects disappeared from the source at once') as string,
      },
    ]);
  });

  it('lists the objects one synchronisation would delete, page by page with a Link to the next', async () => {
    const { data, response } = await reader().GET('/synchronisations/{syncId}/held-deletions', {
      params: { path: { syncId: s.sync.id }, query: { limit: 3 } },
    });
    expect(data).toMatchObject({ synchronisationId: s.sync.id, count: 4, threshold: 0.5 });
    expect(data!.items).toHaveLength(3);
    expect(data!.items[0]).toMatchObject({
      contractId: expect.stringMatching(/^con_/) as string,
      targetId: expect.stringMatching(/^obj_/) as string,
      reason: expect.stringContaining('Held for approval') as string,
    });
    expect(response.headers.get('link')).toMatch(/rel="next"/);
    const next = await raw(
      'GET',
      response.headers.get('link')!.slice(1).split('>')[0]!.replace('/api/v1', ''),
      {
        key: keys.read,
      },
    );
    expect((next.body as { items: unknown[]; nextCursor: null }).items).toHaveLength(1);
    expect(await heldOriginIds()).toEqual(REMOVED.map(String).sort());
  });
});

describe('a page link the held deletions did not give out', () => {
  it("is refused at the query's cursor", async () => {
    const { response, error } = await reader().GET('/synchronisations/{syncId}/held-deletions', {
      params: { path: { syncId: s.sync.id }, query: { cursor: 'nonsense' } },
    });
    expect(response.status).toBe(400);
    expect(problemOf(error).errors).toEqual([
      expect.objectContaining({ field: 'query.cursor', pointer: '/cursor' }),
    ]);
  });
});

describe('deciding on held deletions', () => {
  it('needs the write scope: a key that may only run synchronisations is refused', async () => {
    const { error, response } = await apiClient(keys.run).POST(
      '/synchronisations/{syncId}/held-deletions/approve',
      syncPath(),
    );
    expect(response.status).toBe(403);
    expect(problemOf(error).detail).toMatch(/"write" scope/);
    expect(await heldOriginIds()).toHaveLength(4);
  });

  it('rejecting keeps the objects and says who rejected; the next run holds them again', async () => {
    const { data, response } = await writer().POST(
      '/synchronisations/{syncId}/held-deletions/reject',
      syncPath(),
    );
    expect(response.status).toBe(200);
    expect(data).toEqual({ kept: 4 });
    expect((await reader().GET('/held-deletions')).data!.items).toEqual([]);
    const objects = await reader().GET('/schemas/{schemaId}/objects', {
      params: { path: { schemaId: s.schema.id } },
    });
    expect(objects.data!.items.filter((o) => o.deletedAt === null)).toHaveLength(6);
    const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 10 });
    expect(
      rows.filter((c) => c.lastError?.startsWith('Deletion rejected by the API key “reviewer write”')),
    ).toHaveLength(4);

    const again = await writer().POST('/synchronisations/{syncId}/held-deletions/reject', syncPath());
    expect(again.response.status).toBe(400);
    expect(problemOf(again.error).detail).toBe('No deletions are waiting for approval.');
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ held: 4 });
  });

  it('approving requests a run that deletes exactly the held objects', async () => {
    // Reviewed when fewer were held: 409, nothing approved.
    const stale = await writer().POST('/synchronisations/{syncId}/held-deletions/approve', {
      params: { path: { syncId: s.sync.id }, query: { expected: 3 } },
    });
    expect(stale.response.status).toBe(409);
    expect(problemOf(stale.error).detail).toMatch(/^4 deletions are held now, not the 3 you were shown/);
    expect(await heldOriginIds()).toHaveLength(4);
    const { data, response } = await writer().POST('/synchronisations/{syncId}/held-deletions/approve', {
      params: { path: { syncId: s.sync.id }, query: { expected: 4 } },
    });
    expect(response.status).toBe(202);
    expect(data!.run).toMatchObject({ synchronisationId: s.sync.id, trigger: 'approval' });
    const run = await runEnded(reader(), data!.run.id);
    expect(run).toMatchObject({ status: 'finished', counts: { deleted: 4 } });
    expect(await heldOriginIds()).toEqual([]);
    const objects = await reader().GET('/schemas/{schemaId}/objects', {
      params: { path: { schemaId: s.schema.id } },
    });
    const live = objects.data!.items.filter((o) => o.deletedAt === null).map((o) => o.data.name);
    expect(live.sort()).toEqual(['Person 5', 'Person 6']);

    const again = await writer().POST('/synchronisations/{syncId}/held-deletions/approve', syncPath());
    expect(again.response.status).toBe(400);
    expect(problemOf(again.error).detail).toBe('No deletions are waiting for approval.');
  });
});
