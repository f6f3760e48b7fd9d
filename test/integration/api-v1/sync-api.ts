// The synchronisations API's set-up, shared by its test files: a json-server People API read into a
// register (restToRegister), an admin API key, and the pull a form would save from them.
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
// Not a React hook: it points the API's handlers at the test database (aliased for the hooks lint).
import { apiClient, useDatabase as pointApiAt } from './client';
import type { components } from './openapi';

export type SyncBody = components['schemas']['SynchronisationInput'];

export const T0 = '2024-05-01T10:00:00.000Z';

export interface SyncApi {
  readonly db: TestDatabase;
  readonly peer: JsonServer;
  readonly s: Awaited<ReturnType<typeof restToRegister>>;
  readonly api: ReturnType<typeof apiClient>;
  /** People API → Directory › Person, as the form would save it. */
  readonly pull: SyncBody;
}

export async function openSyncApi(): Promise<SyncApi> {
  const db = await createTestDatabase();
  await pointApiAt(db);
  const peer = await startJsonServer({ people: people(3).map((person) => ({ ...person, updatedAt: T0 })) });
  const s = await restToRegister(db.db, peer.url);
  const api = apiClient((await s.api.apiKeys.create({ orgId: s.orgId, name: 'ci', scopes: ['admin'] })).key);
  const pull: SyncBody = {
    name: 'People, again',
    sourceId: s.source.id,
    sourceEndpoint: '/people?_page=1&_limit=10',
    sourceConfig: { pagination: { kind: 'link-header' } },
    mappingId: s.mapping.id,
    targetType: 'register',
    targetRegisterId: s.register.id,
    targetSchemaId: s.schema.id,
  };
  return { db, peer, s, api, pull };
}

export async function closeSyncApi(fx: SyncApi | undefined): Promise<void> {
  if (!fx) return;
  await embeddedRunnerFor(fx.db.db).idle();
  await fx.peer.stop();
  await fx.db.close();
}

export const byId = (syncId: string) => ({ params: { path: { syncId } } });
