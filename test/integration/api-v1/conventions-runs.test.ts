// The conventions of /api/v1 for requests a program retries or repeats, through the client generated
// from the OpenAPI document: Idempotency-Key (a retried run request returns the same run, once; a key
// whose first request died is taken over) and the per-key rate limit (429 + Retry-After).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '@/server/api/v1/idempotency';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { apiClient, useDatabase } from './client';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let admin: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(3) });
  s = await restToRegister(db.db, peer.url);
  admin = apiClient((await s.api.apiKeys.create({ orgId: s.orgId, name: 'admin', scopes: ['admin'] })).key);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const newKey = async (name: string, scopes: ('read' | 'write' | 'run' | 'admin')[]) =>
  (await s.api.apiKeys.create({ orgId: s.orgId, name, scopes })).key;

describe('runs', () => {
  it('replays a retried run request with the same Idempotency-Key: the same run, once', async () => {
    const params = { path: { syncId: s.sync.id }, header: { 'Idempotency-Key': 'nightly-2026-12-03' } };
    const first = await admin.POST('/synchronisations/{syncId}/runs', { params, body: { test: true } });
    expect(first.response.status).toBe(202);
    await embeddedRunnerFor(db.db).idle();
    const retry = await admin.POST('/synchronisations/{syncId}/runs', { params, body: { test: true } });
    expect(retry.response.status).toBe(202);
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data!.run.id).toBe(first.data!.run.id);
    const runs = await admin.GET('/runs', { params: { query: { syncId: s.sync.id } } });
    expect(runs.data!.items.map((r) => r.id)).toEqual([first.data!.run.id]);
    const reused = await admin.POST('/synchronisations/{syncId}/runs', { params, body: { force: true } });
    expect(reused.response.status).toBe(422);
    const run = await admin.GET('/runs/{runId}', { params: { path: { runId: first.data!.run.id } } });
    expect(run.data).toMatchObject({ status: 'finished', test: true, trigger: 'api' });
  });
});

describe('an Idempotency-Key whose first request died unanswered', () => {
  it('lets the retry through once the first is long gone, and still answers 409 while it may be running', async () => {
    const keyId = (await admin.GET('/key')).data!.id;
    const route = `POST /synchronisations/${s.sync.id}/runs`;
    // What a process killed while answering leaves: the key reserved, no answer stored.
    await reserve(
      db.db,
      keyId,
      'died-2026-12-03',
      route,
      '{"test":true}',
      new Date(Date.now() - 30 * 60_000),
    );
    await reserve(db.db, keyId, 'busy-2026-12-03', route, '{"test":true}');
    const request = (key: string) =>
      admin.POST('/synchronisations/{syncId}/runs', {
        params: { path: { syncId: s.sync.id }, header: { 'Idempotency-Key': key } },
        body: { test: true },
      });
    const busy = await request('busy-2026-12-03');
    expect(busy.response.status).toBe(409);
    const retried = await request('died-2026-12-03');
    expect(retried.response.status).toBe(202);
    await embeddedRunnerFor(db.db).idle();
    const replayed = await request('died-2026-12-03');
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.data!.run.id).toBe(retried.data!.run.id);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key has used its budget', async () => {
    const busy = apiClient(await newKey('busy', ['read']));
    const calm = apiClient(await newKey('calm', ['read']));
    process.env.CONCORD_API_RATE_LIMIT = '3';
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await busy.GET('/key')).response);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers[0]!.headers.get('ratelimit-limit')).toBe('3');
      expect(answers[2]!.headers.get('ratelimit-remaining')).toBe('0');
      const limited = answers[3]!;
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('content-type')).toBe('application/problem+json');
      // Another key has its own budget.
      expect((await calm.GET('/key')).response.status).toBe(200);
    } finally {
      delete process.env.CONCORD_API_RATE_LIMIT;
    }
  });
});
