// The conventions of /api/v1, called as a program would: keys and scopes, problem details with the
// field, ETag/If-Match, Idempotency-Key (a retried run request returns the same run), cursor paging
// with Link headers, the change feed, and the per-key rate limit (429 + Retry-After).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { call, useDatabase } from './client';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let admin: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(3) });
  s = await restToRegister(db.db, peer.url);
  admin = (await s.api.apiKeys.create({ orgId: s.orgId, name: 'admin', scopes: ['admin'] })).key;
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

describe('keys', () => {
  it('refuses a call without a key, or with an unknown one, as a 401 problem', async () => {
    for (const key of [undefined, 'cnc_nope']) {
      const res = await call('GET', '/registers', { key });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 401, title: 'Unauthorised', instance: '/api/v1/registers' });
    }
  });

  it('lets a key do what its scopes allow and refuses the rest with 403', async () => {
    const { key } = await s.api.apiKeys.create({ orgId: s.orgId, name: 'reader', scopes: ['read'] });
    expect((await call('GET', '/registers', { key })).status).toBe(200);
    const refused = await call('POST', '/registers', { key, body: { name: 'Nope' } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('"write" scope');
    expect((await s.api.registers.list({ orgId: s.orgId })).map((r) => r.name)).not.toContain('Nope');
  });

  it('stops a key at its expiry', async () => {
    const created = await s.api.apiKeys.create({
      orgId: s.orgId,
      name: 'short',
      scopes: ['read'],
      expiresAt: new Date(Date.now() + 1500),
    });
    expect((await call('GET', '/key', { key: created.key })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await call('GET', '/key', { key: created.key })).status).toBe(401);
  });

  it('rotates a key: the new secret works, the old one for the grace period only', async () => {
    const first = await s.api.apiKeys.create({ orgId: s.orgId, name: 'rotating', scopes: ['read'] });
    const graced = await s.api.apiKeys.rotate({ orgId: s.orgId, keyId: first.id, graceSeconds: 3600 });
    expect(graced.key).not.toBe(first.key);
    expect((await call('GET', '/key', { key: graced.key })).body).toMatchObject({
      id: first.id,
      scopes: ['read'],
    });
    expect((await call('GET', '/key', { key: first.key })).status).toBe(200);
    // Rotating again with no grace: the secret just replaced stops at once, and so does the older one.
    const now = await s.api.apiKeys.rotate({ orgId: s.orgId, keyId: first.id, graceSeconds: 0 });
    expect((await call('GET', '/key', { key: graced.key })).status).toBe(401);
    expect((await call('GET', '/key', { key: first.key })).status).toBe(401);
    expect((await call('GET', '/key', { key: now.key })).status).toBe(200);
    const listed = (await s.api.apiKeys.list({ orgId: s.orgId })).find((k) => k.id === first.id);
    expect(listed?.rotatedAt).toBeInstanceOf(Date);
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('registers, schemas and objects', () => {
  let schemaId: string;
  let objectId: string;

  it('creates a register and a schema, and lists them with cursor paging and a Link header', async () => {
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const res = await call('POST', '/registers', { key: admin, body: { name } });
      expect(res.status).toBe(201);
    }
    const first = await call('GET', '/registers?limit=2', { key: admin });
    expect(first.body.items).toHaveLength(2);
    const link = first.headers.get('link')!;
    expect(link).toMatch(/^<\/api\/v1\/registers\?limit=2&cursor=[\w-]+>; rel="next"$/);
    const nextPath = /<\/api\/v1([^>]+)>/.exec(link)![1]!;
    const second = await call('GET', nextPath, { key: admin });
    const names = [...first.body.items, ...second.body.items].map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['Directory', 'Alpha', 'Beta', 'Gamma']));
    expect(new Set(names).size).toBe(names.length);

    const schema = await call('POST', `/registers/${first.body.items[0].id}/schemas`, {
      key: admin,
      body: {
        name: 'Well',
        jsonSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      },
    });
    expect(schema.status).toBe(201);
    schemaId = schema.body.id;
  });

  it('answers bad input with problem details naming the field', async () => {
    const res = await call('POST', '/registers', { key: admin, body: { name: '', colour: 'red' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name']));
    // An object that does not fit its schema: the schema's problem, at its field.
    const wrong = await call('POST', `/schemas/${schemaId}/objects`, { key: admin, body: { name: 7 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0]).toMatchObject({
      field: expect.stringMatching(/name$/),
      pointer: expect.stringMatching(/name$/),
    });
    const notJson = await call('POST', '/registers', { key: admin, raw: '{"name":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.detail).toContain('not valid JSON');
  });

  it('gives objects an ETag and refuses a stale If-Match with 412, changing nothing', async () => {
    const created = await call('POST', `/schemas/${schemaId}/objects`, {
      key: admin,
      body: { name: 'Well 1' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    objectId = created.body.id;
    const updated = await call('PUT', `/objects/${objectId}`, {
      key: admin,
      body: { name: 'Well 1b' },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    const stale = await call('PUT', `/objects/${objectId}`, {
      key: admin,
      body: { name: 'lost update' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.detail).toContain('version 2');
    const got = await call('GET', `/objects/${objectId}`, { key: admin });
    expect(got.body.data).toEqual({ name: 'Well 1b' });
    expect(got.headers.get('etag')).toBe('"2"');
    const staleDelete = await call('DELETE', `/objects/${objectId}`, {
      key: admin,
      headers: { 'if-match': '"1"' },
    });
    expect(staleDelete.status).toBe(412);
  });

  it('feeds changes in order from a cursor, deletions as tombstones', async () => {
    const second = await call('POST', `/schemas/${schemaId}/objects`, {
      key: admin,
      body: { name: 'Well 2' },
    });
    const start = await call('GET', `/schemas/${schemaId}/changes`, { key: admin });
    expect(start.body.changes.map((c: { objectId: string }) => c.objectId)).toEqual([
      objectId,
      second.body.id,
    ]);
    const cursor = start.body.cursor;
    expect(
      (await call('GET', `/schemas/${schemaId}/changes?cursor=${cursor}`, { key: admin })).body.changes,
    ).toEqual([]);
    expect(
      (await call('DELETE', `/objects/${objectId}`, { key: admin, headers: { 'if-match': '"2"' } })).status,
    ).toBe(204);
    const after = await call('GET', `/schemas/${schemaId}/changes?cursor=${cursor}`, { key: admin });
    expect(after.body.changes).toHaveLength(1);
    expect(after.body.changes[0]).toMatchObject({
      objectId,
      op: 'delete',
      object: { deletedAt: expect.any(String) },
    });
    const bad = await call('GET', `/schemas/${schemaId}/changes?cursor=garbage`, { key: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.cursor');
  });

  it('pages objects plainly with start/limit and page', async () => {
    for (let i = 3; i <= 5; i++)
      await call('POST', `/schemas/${schemaId}/objects`, { key: admin, body: { name: `Well ${i}` } });
    const byStart = await call('GET', `/schemas/${schemaId}/objects?start=2&limit=2`, { key: admin });
    const byPage = await call('GET', `/schemas/${schemaId}/objects?page=2&limit=2`, { key: admin });
    expect(byStart.body).toMatchObject({ total: 4, start: 2, limit: 2, page: 2 });
    expect(byStart.body.items).toEqual(byPage.body.items);
    expect(byStart.headers.get('link')).toBeNull();
    expect(
      (await call('GET', `/schemas/${schemaId}/objects?page=1&limit=2`, { key: admin })).headers.get('link'),
    ).toContain('page=2');
  });
});

describe('runs', () => {
  it('replays a retried run request with the same Idempotency-Key: the same run, once', async () => {
    const headers = { 'idempotency-key': 'nightly-2026-12-03' };
    const url = `/synchronisations/${s.sync.id}/runs`;
    const first = await call('POST', url, { key: admin, body: { test: true }, headers });
    expect(first.status).toBe(202);
    await embeddedRunnerFor(db.db).idle();
    const retry = await call('POST', url, { key: admin, body: { test: true }, headers });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.run.id).toBe(first.body.run.id);
    const runs = await call('GET', `/runs?syncId=${s.sync.id}`, { key: admin });
    expect(runs.body.items.filter((r: { id: string }) => r.id === first.body.run.id)).toHaveLength(1);
    expect(runs.body.items).toHaveLength(1);
    const reused = await call('POST', url, { key: admin, body: { force: true }, headers });
    expect(reused.status).toBe(422);
    const run = await call('GET', `/runs/${first.body.run.id}`, { key: admin });
    expect(run.body).toMatchObject({ status: 'finished', test: true, trigger: 'api' });
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key has used its budget', async () => {
    const { key } = await s.api.apiKeys.create({ orgId: s.orgId, name: 'busy', scopes: ['read'] });
    const other = await s.api.apiKeys.create({ orgId: s.orgId, name: 'calm', scopes: ['read'] });
    process.env.CONCORD_API_RATE_LIMIT = '3';
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await call('GET', '/key', { key }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers[0]!.headers.get('ratelimit-limit')).toBe('3');
      expect(answers[2]!.headers.get('ratelimit-remaining')).toBe('0');
      const limited = answers[3]!;
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('content-type')).toBe('application/problem+json');
      // Another key has its own budget.
      expect((await call('GET', '/key', { key: other.key })).status).toBe(200);
    } finally {
      delete process.env.CONCORD_API_RATE_LIMIT;
    }
  });
});
