// Contracts through /api/v1, as a program would call them with the client generated from the OpenAPI
// document: the list with the app's filters and its cursor pages (Link header, previous and last), one
// contract with its record history, and re-syncing one object as a forced run of one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';
import { apiClient, problemOf, raw, useDatabase } from './client';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let reader: ReturnType<typeof apiClient>;
let readerKey: string;
let runner: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(12) });
  s = await restToRegister(db.db, peer.url);
  expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 12 });
  readerKey = (await s.api.apiKeys.create({ orgId: s.orgId, name: 'reader', scopes: ['read'] })).key;
  reader = apiClient(readerKey);
  runner = apiClient((await s.api.apiKeys.create({ orgId: s.orgId, name: 'runner', scopes: ['run'] })).key);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const list = async (query: {
  syncId?: string;
  status?: 'synced' | 'failed';
  lastAction?: 'create' | 'update';
  search?: string;
  limit?: number;
  cursor?: string;
}) => {
  const { data, response, error } = await reader.GET('/contracts', { params: { query } });
  if (!data) throw new Error(JSON.stringify(error));
  return { ...data, link: response.headers.get('link') };
};

async function contractOf(originId: string) {
  const { items } = await list({ syncId: s.sync.id, search: originId });
  const found = items.find((c) => c.originId === originId);
  if (!found) throw new Error(`no contract for ${originId}`);
  return found;
}

describe('GET /contracts', () => {
  it('pages through one synchronisation’s contracts in the order they were recorded, following the Link header', async () => {
    const first = await list({ syncId: s.sync.id, limit: 5 });
    expect(first).toMatchObject({ total: 12, totalExact: true, previousCursor: null });
    expect(first.items.map((c) => c.originId)).toEqual(['1', '2', '3', '4', '5']);
    expect(first.items[0]).toMatchObject({
      synchronisationId: s.sync.id,
      status: 'synced',
      lastAction: 'create',
    });
    // The Link header's URL keeps the filters and carries the cursor.
    const next = /<([^>]+)>; rel="next"/.exec(first.link ?? '')?.[1];
    expect(next).toContain(`syncId=${s.sync.id}`);
    const second = await raw('GET', next!.replace('/api/v1', ''), { key: readerKey });
    expect(second.status).toBe(200);
    const page2 = second.body as typeof first;
    expect(page2.items.map((c) => c.originId)).toEqual(['6', '7', '8', '9', '10']);
    const third = await list({ syncId: s.sync.id, limit: 5, cursor: page2.nextCursor! });
    expect(third.items.map((c) => c.originId)).toEqual(['11', '12']);
    expect(third).toMatchObject({ nextCursor: null, lastCursor: null });
    expect(third.link).toBeNull();
    const back = await list({ syncId: s.sync.id, limit: 5, cursor: third.previousCursor! });
    expect(back.items.map((c) => c.originId)).toEqual(['6', '7', '8', '9', '10']);
    const last = await list({ syncId: s.sync.id, limit: 5, cursor: first.lastCursor! });
    expect(last.items.map((c) => c.originId)).toEqual(['11', '12']);
  });

  it('filters by status, last action and the start of an id, as the app does', async () => {
    expect((await list({ status: 'synced' })).total).toBe(12);
    expect(await list({ status: 'failed' })).toMatchObject({ total: 0, items: [] });
    expect((await list({ lastAction: 'create' })).total).toBe(12);
    expect((await list({ lastAction: 'update' })).total).toBe(0);
    expect((await list({ search: '1' })).items.map((c) => c.originId)).toEqual(['1', '10', '11', '12']);
    const seven = await contractOf('7');
    expect((await list({ search: seven.targetId! })).items.map((c) => c.originId)).toEqual(['7']);
  });

  it('refuses a cursor it did not give out and an unknown filter value, each at its field', async () => {
    const bad = await reader.GET('/contracts', { params: { query: { cursor: 'nonsense' } } });
    expect(bad.response.status).toBe(400);
    expect(problemOf(bad.error).errors).toEqual([
      expect.objectContaining({ field: 'query.cursor', pointer: '/cursor' }),
    ]);
    // A page link of another synchronisation's list (say, another one's held deletions), given with this
    // one's syncId: not read as the first page over again, which a client would take for the next.
    const theirs = Buffer.from(JSON.stringify({ d: 'a', s: 'syn_another', r: 5 })).toString('base64url');
    const mixed = await reader.GET('/contracts', {
      params: { query: { syncId: s.sync.id, limit: 5, cursor: theirs } },
    });
    expect(mixed.response.status).toBe(400);
    expect(problemOf(mixed.error).errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
    const status = await raw('GET', '/contracts?status=happy', { key: readerKey });
    expect(status.status).toBe(400);
    expect(JSON.stringify(status.body)).toContain('query.status');
  });
});

describe('GET /contracts/{contractId}', () => {
  it('answers the contract with its source object and its record history', async () => {
    const seven = await contractOf('7');
    const { data } = await reader.GET('/contracts/{contractId}', {
      params: { path: { contractId: seven.id } },
    });
    expect(data).toMatchObject({
      id: seven.id,
      originId: '7',
      status: 'synced',
      sourceObject: people(12)[6],
    });
    expect(data!.versions).toHaveLength(1);
    expect(data!.versions[0]).toMatchObject({
      number: 1,
      action: 'create',
      trigger: 'manual',
      data: { name: 'Person 7', email: 'person7@example.test', city: 'Leiden' },
    });
    expect(data!.versions[0]!.changes.map((c) => c.path).sort()).toEqual(['city', 'email', 'name']);
  });

  it('answers 404 for an id it does not know', async () => {
    const { response, error } = await reader.GET('/contracts/{contractId}', {
      params: { path: { contractId: 'con_nope' } },
    });
    expect(response.status).toBe(404);
    expect(problemOf(error).detail).toBe('The contract was not found');
  });
});

describe('POST /contracts/{contractId}/resync', () => {
  it('runs that one object again, forced, and the history shows the run', async () => {
    const seven = await contractOf('7');
    const { data, response } = await runner.POST('/contracts/{contractId}/resync', {
      params: { path: { contractId: seven.id } },
    });
    expect(response.status).toBe(202);
    expect(data!.run).toMatchObject({ synchronisationId: s.sync.id, force: true, trigger: 'manual' });
    await embeddedRunnerFor(db.db).idle();
    const run = await s.api.runs.get({ orgId: s.orgId, runId: data!.run.id });
    expect(run).toMatchObject({ status: 'finished', result: 'success', found: 1, rewritten: 1 });
    expect((await contractOf('7')).lastAction).toBe('rewrite');
    const after = await reader.GET('/contracts/{contractId}', { params: { path: { contractId: seven.id } } });
    expect(after.data!.versions.map((v) => [v.action, v.runId])).toEqual([
      ['rewrite', data!.run.id],
      ['create', expect.any(String)],
    ]);
  });

  it('needs the run scope: a read key is refused', async () => {
    const seven = await contractOf('7');
    const { response } = await reader.POST('/contracts/{contractId}/resync', {
      params: { path: { contractId: seven.id } },
    });
    expect(response.status).toBe(403);
  });

  it('says what to do when the synchronisation is disabled', async () => {
    const seven = await contractOf('7');
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.sync.id, enabled: false });
    const { response, error } = await runner.POST('/contracts/{contractId}/resync', {
      params: { path: { contractId: seven.id } },
    });
    expect(response.status).toBe(400);
    expect(problemOf(error).detail).toContain('Enable it first');
  });
});
