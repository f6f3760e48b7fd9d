// A person rejected held deletions; the reject route promises that a next run that still misses those
// objects holds their deletion again. A next run that misses fewer objects — so few that it would not
// hold them by the threshold (one of them came back) — must still not delete the ones a person said to
// keep: they are held again for a new decision, and only they.
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

it('holds again, rather than deletes, what a person rejected deleting, when fewer objects are gone', async () => {
  const api = apiClient(key);
  const sync = { params: { path: { syncId: s.sync.id } } };
  // 5 of 8 gone: held. The reviewer keeps them.
  await holdDeletions(s, peer.url, [1, 2, 3, 4, 5]);
  expect((await api.POST('/synchronisations/{syncId}/held-deletions/reject', sync)).data).toEqual({
    kept: 5,
  });
  // People 1, 4 and 5 come back and person 8 leaves: 3 of 8 missing (2 and 3, rejected, and 8, never
  // decided on), under the threshold, where a run deletes what it misses.
  const back = people(8).filter((p) => [1, 4, 5].includes(p.id));
  for (const p of back)
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
});
