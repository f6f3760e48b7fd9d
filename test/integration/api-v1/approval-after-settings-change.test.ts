// Deletions held, then the synchronisation's deletion settings changed before anyone approved them: the
// approval deletes "with the synchronisation's deletion policy" (the approve route), so a policy of `none`
// — delete nothing — lets it delete nothing, and an id restrictDeletion no longer allows is kept.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { apiClient, problemOf, useDatabase } from './client';
import { holdDeletions, runEnded } from './review-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(6) });
  s = await restToRegister(db.db, peer.url);
  api = apiClient((await s.api.apiKeys.create({ orgId: s.orgId, name: 'ops', scopes: ['admin'] })).key);
  await holdDeletions(s, peer.url, [1, 2, 3, 4]);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const sync = () => ({ params: { path: { syncId: s.sync.id } } });
const live = async () => {
  const objects = await api.GET('/schemas/{schemaId}/objects', {
    params: { path: { schemaId: s.schema.id }, query: { limit: 50 } },
  });
  return objects.data!.items.filter((o) => o.deletedAt === null).length;
};

it('refuses to approve while the deletion policy is `none`, deleting nothing', async () => {
  await api.PATCH('/synchronisations/{syncId}', { ...sync(), body: { deleteMode: 'none' } });
  const approved = await api.POST('/synchronisations/{syncId}/held-deletions/approve', sync());
  expect(approved.response.status).toBe(400);
  expect(problemOf(approved.error).detail).toContain('deletes nothing');
  await embeddedRunnerFor(db.db).idle();
  expect(await live()).toBe(6);
});

it('keeps the held objects restrictDeletion no longer allows deleting', async () => {
  await api.PATCH('/synchronisations/{syncId}', {
    ...sync(),
    body: { deleteMode: 'soft', restrictDeletion: ['1', '2'] },
  });
  const approved = await api.POST('/synchronisations/{syncId}/held-deletions/approve', sync());
  expect(approved.response.status).toBe(202);
  const run = await runEnded(api, approved.data!.run.id);
  expect(run).toMatchObject({ status: 'finished', counts: { deleted: 2 } });
  expect(run.message).toContain('2 still held, as restrictDeletion no longer allows deleting them');
  expect(await live()).toBe(4);
});
