// Deletions held for approval wait for a person's decision. A next run that misses fewer objects in all —
// so few that it would not hold them by the threshold (some came back) — must not carry out the ones
// nobody has approved yet: they stay held, with the objects, for the decision the page still offers. The
// ones that came back are released, and an object gone since, under the threshold, is deleted as usual.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';
import { apiClient, useDatabase } from './client';
import { holdDeletions } from './review-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let key: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(8) });
  s = await restToRegister(db.db, peer.url);
  key = (await s.api.apiKeys.create({ orgId: s.orgId, name: 'reviewer', scopes: ['read', 'write'] })).key;
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

it('keeps holding, rather than deletes, deletions nobody decided on when fewer objects are gone', async () => {
  const api = apiClient(key);
  const sync = { params: { path: { syncId: s.sync.id } } };
  // 5 of 8 gone: held, and nobody approves or rejects them.
  await holdDeletions(s, peer.url, [1, 2, 3, 4, 5]);
  // People 1, 4 and 5 come back and person 8 leaves: 3 of 8 missing (2 and 3, still held, and 8),
  // under the threshold, where a run deletes what it misses.
  for (const p of people(8).filter((p) => [1, 4, 5].includes(p.id)))
    await fetch(`${peer.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(p),
    });
  await fetch(`${peer.url}/people/8`, { method: 'DELETE' });
  const run = await runThroughApi(s.api, s.orgId, s.sync.id);
  expect(run).toMatchObject({ held: 2, deleted: 1 });
  const held = await api.GET('/synchronisations/{syncId}/held-deletions', sync);
  expect(held.data!.items.map((i) => i.originId).sort()).toEqual(['2', '3']);
  const objects = await api.GET('/schemas/{schemaId}/objects', {
    params: { path: { schemaId: s.schema.id }, query: { limit: 50 } },
  });
  const live = objects.data!.items.filter((o) => o.deletedAt === null).map((o) => o.data.name);
  expect(live.sort()).toEqual([
    'Person 1',
    'Person 2',
    'Person 3',
    'Person 4',
    'Person 5',
    'Person 6',
    'Person 7',
  ]);
  // The run's log says why they were not deleted.
  const entries = await api.GET('/runs/{runId}/entries', {
    params: { path: { runId: run.id }, query: { action: 'hold' } },
  });
  const items = entries.data!.items;
  expect(items.map((e) => e.originId).sort()).toEqual(['2', '3']);
  for (const e of items)
    expect(e.reason).toMatch(/^Still held for approval, undecided: held for approval: 5 of 8 objects/);
  // Approving them still carries out exactly those two.
  const approved = await api.POST('/synchronisations/{syncId}/held-deletions/approve', sync);
  expect(approved.response.status).toBe(202);
  await embeddedRunnerFor(db.db).idle();
  const after = await api.GET('/schemas/{schemaId}/objects', {
    params: { path: { schemaId: s.schema.id }, query: { limit: 50 } },
  });
  expect(
    after
      .data!.items.filter((o) => o.deletedAt === null)
      .map((o) => o.data.name)
      .sort(),
  ).toEqual(['Person 1', 'Person 4', 'Person 5', 'Person 6', 'Person 7']);
});
