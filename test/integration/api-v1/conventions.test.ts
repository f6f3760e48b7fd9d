// The conventions of /api/v1, called as a program would through the client generated from the
// OpenAPI document: keys and scopes, problem details with the field, ETag/If-Match, cursor paging with
// Link headers, and the change feed. Idempotency-Key and the rate limit: conventions-runs.test.ts.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { apiClient, BASE, problemOf, raw, send, useDatabase, type Problem } from './client';

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

/** A read key that expires `ms` from now. */
const keyExpiringIn = (name: string, ms: number) =>
  s.api.apiKeys.create({ orgId: s.orgId, name, scopes: ['read'], expiresAt: new Date(Date.now() + ms) });

describe('keys', () => {
  it('refuses a call without a key, or with an unknown one, as a 401 problem', async () => {
    for (const key of [undefined, 'cnc_nope']) {
      const { response, error } = await apiClient(key).GET('/registers');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(problemOf(error)).toMatchObject({
        status: 401,
        title: 'Unauthorised',
        instance: '/api/v1/registers',
      });
    }
  });

  it('reads the scheme of the Authorization header in any case, and nothing but Bearer', async () => {
    const key = await newKey('any-case', ['read']);
    for (const authorization of [`bearer ${key}`, `BEARER  ${key}`, `Bearer ${key} `])
      expect((await raw('GET', '/key', { headers: { authorization } })).status).toBe(200);
    for (const authorization of [`Basic ${key}`, `Bearer${key}`, `Bearer ${key} extra`, key])
      expect((await raw('GET', '/key', { headers: { authorization } })).status).toBe(401);
  });

  it('lets a key do what its scopes allow and refuses the rest with 403', async () => {
    const reader = apiClient(await newKey('reader', ['read']));
    expect((await reader.GET('/registers')).response.status).toBe(200);
    const refused = await reader.POST('/registers', { body: { name: 'Nope' } });
    expect(refused.response.status).toBe(403);
    expect(problemOf(refused.error).detail).toContain('"write" scope');
    expect((await s.api.registers.list({ orgId: s.orgId })).map((r) => r.name)).not.toContain('Nope');
  });

  it('stops a key at its expiry', async () => {
    const created = await keyExpiringIn('short', 1500);
    expect((await apiClient(created.key).GET('/key')).response.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await apiClient(created.key).GET('/key')).response.status).toBe(401);
  });

  it('says an expired key has expired, where it is listed and when it is called, and will not rotate it', async () => {
    const created = await keyExpiringIn('expired', 3600_000);
    const expiredAt = new Date(Date.now() - 60_000);
    await db.db.update(apiKeys).set({ expiresAt: expiredAt }).where(eq(apiKeys.id, created.id));

    const called = await raw('GET', '/key', { key: created.key });
    expect(called.status).toBe(401);
    expect((called.body as Problem).detail).toMatch(
      `This API key expired on ${expiredAt.toISOString()}. An owner or admin can create a new key.`,
    );
    const listed = (await s.api.apiKeys.list({ orgId: s.orgId })).find((k) => k.id === created.id);
    expect(listed?.stopped).toMatch(/expired on/);
    // A new secret for it would never work: rotating is refused rather than handing one out.
    await expect(
      s.api.apiKeys.rotate({ orgId: s.orgId, keyId: created.id, graceSeconds: 0 }),
    ).rejects.toThrow(/expired on .*: create a new key/);
    expect((await raw('GET', '/key', { key: created.key })).status).toBe(401);
  });

  it('rotates a key: the new secret works, the old one for the grace period only', async () => {
    const first = await s.api.apiKeys.create({ orgId: s.orgId, name: 'rotating', scopes: ['read'] });
    const graced = await s.api.apiKeys.rotate({ orgId: s.orgId, keyId: first.id, graceSeconds: 3600 });
    expect(graced.key).not.toBe(first.key);
    expect((await apiClient(graced.key).GET('/key')).data).toMatchObject({ id: first.id, scopes: ['read'] });
    expect((await apiClient(first.key).GET('/key')).response.status).toBe(200);
    // Rotating again with no grace: the secret just replaced stops at once, and so does the older one.
    const now = await s.api.apiKeys.rotate({ orgId: s.orgId, keyId: first.id, graceSeconds: 0 });
    expect((await apiClient(graced.key).GET('/key')).response.status).toBe(401);
    expect((await apiClient(first.key).GET('/key')).response.status).toBe(401);
    expect((await apiClient(now.key).GET('/key')).response.status).toBe(200);
    const listed = (await s.api.apiKeys.list({ orgId: s.orgId })).find((k) => k.id === first.id);
    expect(listed?.rotatedAt).toBeInstanceOf(Date);
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('registers, schemas and objects', () => {
  let schemaId: string;
  let registerId: string;
  let objectId: string;

  it('creates registers and a schema, and lists them with cursor paging and a Link header', async () => {
    for (const name of ['Alpha', 'Beta', 'Gamma'])
      expect((await admin.POST('/registers', { body: { name } })).response.status).toBe(201);
    const first = await admin.GET('/registers', { params: { query: { limit: 2 } } });
    expect(first.data!.items).toHaveLength(2);
    const link = first.response.headers.get('link')!;
    expect(link).toMatch(/^<\/api\/v1\/registers\?limit=2&cursor=[\w-]+>; rel="next"$/);
    const cursor = new URL(/<([^>]+)>/.exec(link)![1]!, 'http://x').searchParams.get('cursor')!;
    const second = await admin.GET('/registers', { params: { query: { limit: 2, cursor } } });
    const names = [...first.data!.items, ...second.data!.items].map((r) => r.name);
    expect(names.sort()).toEqual(['Alpha', 'Beta', 'Directory', 'Gamma']);
    expect(second.response.headers.get('link')).toBeNull();

    const schema = await admin.POST('/registers/{registerId}/schemas', {
      params: { path: { registerId: first.data!.items[0]!.id } },
      body: {
        name: 'Well',
        jsonSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      },
    });
    expect(schema.response.status).toBe(201);
    schemaId = schema.data!.id;
    registerId = first.data!.items[0]!.id;
  });

  it('answers bad input with problem details naming the field', async () => {
    const res = await admin.POST('/registers', { body: { name: '' } });
    expect(res.response.status).toBe(400);
    expect(res.response.headers.get('content-type')).toBe('application/problem+json');
    expect(problemOf(res.error).errors).toEqual([
      expect.objectContaining({ field: 'body.name', pointer: '/name' }),
    ]);
    // An object that does not fit its schema: the schema's problem, at its field.
    const wrong = await admin.POST('/schemas/{schemaId}/objects', {
      params: { path: { schemaId } },
      body: { name: 7 },
    });
    expect(wrong.response.status).toBe(400);
    // The body is the object, so the problem is at the body's own field (not under a `data` of it).
    expect(problemOf(wrong.error).errors![0]).toMatchObject({ field: 'body.name', pointer: '/name' });
    const notJson = await raw('POST', '/registers', {
      key: await newKey('raw', ['write']),
      body: '{"name":',
    });
    expect(notJson.status).toBe(400);
    expect((notJson.body as Problem).detail).toContain('not valid JSON');
  });

  it('answers a path that is not valid percent-encoding with a 400 naming it, not a 500', async () => {
    const key = await newKey('broken-path', ['read']);
    // A cut-off UTF-8 escape (a client that truncated an id), and a lone `%`.
    for (const path of ['/runs/%E0%A4%A', '/objects/obj_%']) {
      const res = await raw('GET', path, { key });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((res.body as Problem).detail).toContain('not valid percent-encoding');
    }
  });

  it('refuses a body over 8 MiB with 413, also one sent in chunks without a Content-Length', async () => {
    const key = await newKey('big', ['write']);
    const before = await admin.GET('/registers', {});
    // 9 MiB in 1 MiB chunks: a stream has no Content-Length, so the size is only known as it arrives.
    let sent = 0;
    const chunk = new TextEncoder().encode(`{"name":"${'x'.repeat(1024 * 1024)}`);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 9) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await send(
      new Request(`${BASE}/registers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as Problem).detail).toContain('larger than');
    // Cut off at the cap: the rest of the body was never asked for.
    expect(sent).toBeLessThan(10);
    const after = await admin.GET('/registers', {});
    expect(after.data!.items).toHaveLength(before.data!.items.length);
  });

  it('gives objects an ETag and refuses a stale If-Match with 412, changing nothing', async () => {
    const created = await admin.POST('/schemas/{schemaId}/objects', {
      params: { path: { schemaId } },
      body: { name: 'Well 1' },
    });
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get('etag')).toBe('"1"');
    objectId = created.data!.id;
    const path = { objectId };
    const updated = await admin.PUT('/objects/{objectId}', {
      params: { path, header: { 'If-Match': '"1"' } },
      body: { name: 'Well 1b' },
    });
    expect(updated.response.status).toBe(200);
    expect(updated.response.headers.get('etag')).toBe('"2"');
    const stale = await admin.PUT('/objects/{objectId}', {
      params: { path, header: { 'If-Match': '"1"' } },
      body: { name: 'lost update' },
    });
    expect(stale.response.status).toBe(412);
    expect(problemOf(stale.error).detail).toContain('version 2');
    const got = await admin.GET('/objects/{objectId}', { params: { path } });
    expect(got.data!.data).toEqual({ name: 'Well 1b' });
    // Each names its schema's register (objects hold no register id of their own: migration 0036).
    for (const answer of [created, updated, got]) expect(answer.data).toMatchObject({ registerId, schemaId });
    expect(got.response.headers.get('etag')).toBe('"2"');
    const staleDelete = await admin.DELETE('/objects/{objectId}', {
      params: { path, header: { 'If-Match': '"1"' } },
    });
    expect(staleDelete.response.status).toBe(412);
  });

  it('feeds changes in order from a cursor, deletions as tombstones', async () => {
    const path = { schemaId };
    const second = await admin.POST('/schemas/{schemaId}/objects', {
      params: { path },
      body: { name: 'Well 2' },
    });
    const start = await admin.GET('/schemas/{schemaId}/changes', { params: { path } });
    expect(start.data!.changes.map((c) => c.objectId)).toEqual([objectId, second.data!.id]);
    expect(start.data!.changes.map((c) => c.object!.registerId)).toEqual([registerId, registerId]);
    const cursor = start.data!.cursor;
    const none = await admin.GET('/schemas/{schemaId}/changes', { params: { path, query: { cursor } } });
    expect(none.data!.changes).toEqual([]);
    const deleted = await admin.DELETE('/objects/{objectId}', {
      params: { path: { objectId }, header: { 'If-Match': '"2"' } },
    });
    expect(deleted.response.status).toBe(204);
    const after = await admin.GET('/schemas/{schemaId}/changes', { params: { path, query: { cursor } } });
    expect(after.data!.changes).toHaveLength(1);
    expect(after.data!.changes[0]).toMatchObject({
      objectId,
      op: 'delete',
      object: { deletedAt: expect.any(String) },
    });
    const bad = await admin.GET('/schemas/{schemaId}/changes', {
      params: { path, query: { cursor: 'garbage' } },
    });
    expect(bad.response.status).toBe(400);
    expect(problemOf(bad.error).errors![0]!.field).toBe('query.cursor');
  });

  it("refuses the change-feed cursor of another schema, which would skip this one's changes", async () => {
    const other = await admin.POST('/registers/{registerId}/schemas', {
      params: { path: { registerId } },
      body: { name: 'Pump', jsonSchema: { type: 'object', properties: { name: { type: 'string' } } } },
    });
    await admin.POST('/schemas/{schemaId}/objects', {
      params: { path: { schemaId: other.data!.id } },
      body: { name: 'Pump 1' },
    });
    const theirs = await admin.GET('/schemas/{schemaId}/changes', {
      params: { path: { schemaId: other.data!.id } },
    });
    // The numbers are shared by every schema: read here, theirs would start past all of this one's.
    const mixedUp = await admin.GET('/schemas/{schemaId}/changes', {
      params: { path: { schemaId }, query: { cursor: theirs.data!.cursor } },
    });
    expect(mixedUp.response.status).toBe(400);
    expect(problemOf(mixedUp.error).detail).toContain('another schema');
    expect(problemOf(mixedUp.error).errors![0]!.field).toBe('query.cursor');
    // A cursor handed out before cursors named their schema still reads on.
    const older = Buffer.from(JSON.stringify({ s: 0 })).toString('base64url');
    const kept = await admin.GET('/schemas/{schemaId}/changes', {
      params: { path: { schemaId }, query: { cursor: older } },
    });
    expect(kept.response.status).toBe(200);
    expect(kept.data!.changes.length).toBeGreaterThan(0);
    const next = JSON.parse(Buffer.from(kept.data!.cursor, 'base64url').toString()) as { k?: string };
    expect(next.k).toBe(schemaId);
  });

  it('pages objects plainly with start/limit and page', async () => {
    const path = { schemaId };
    for (let i = 3; i <= 5; i++)
      await admin.POST('/schemas/{schemaId}/objects', { params: { path }, body: { name: `Well ${i}` } });
    const byStart = await admin.GET('/schemas/{schemaId}/objects', {
      params: { path, query: { start: 2, limit: 2 } },
    });
    const byPage = await admin.GET('/schemas/{schemaId}/objects', {
      params: { path, query: { page: 2, limit: 2 } },
    });
    expect(byStart.data).toMatchObject({ total: 4, start: 2, limit: 2, page: 2 });
    expect(byStart.data!.items).toEqual(byPage.data!.items);
    expect(byStart.data!.items.every((o) => o.registerId === registerId)).toBe(true);
    expect(byStart.response.headers.get('link')).toBeNull();
    const first = await admin.GET('/schemas/{schemaId}/objects', {
      params: { path, query: { page: 1, limit: 2 } },
    });
    expect(first.response.headers.get('link')).toContain('page=2');
  });

  it('pages objects by cursor, newest change first, each page once; the Link header keeps the way asked', async () => {
    const path = { schemaId };
    const all = await admin.GET('/schemas/{schemaId}/objects', { params: { path, query: { limit: 200 } } });
    const names = all.data!.items.map((o) => o.data.name);
    expect(all.data).toMatchObject({
      total: names.length,
      totalExact: true,
      start: 0,
      page: 1,
      nextCursor: null,
    });
    // Newest change first: the object written last leads.
    const latest = await admin.POST('/schemas/{schemaId}/objects', {
      params: { path },
      body: { name: 'Newest' },
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const got = await admin.GET('/schemas/{schemaId}/objects', {
        params: { path, query: { limit: 2, ...(cursor ? { cursor } : {}) } },
      });
      expect(got.response.status).toBe(200);
      seen.push(...got.data!.items.map((o) => o.id));
      if (pages === 0) expect(got.data!.items[0]!.id).toBe(latest.data!.id);
      if (pages > 0) expect(got.data).toMatchObject({ start: null, page: null });
      const link = got.response.headers.get('link');
      const asked = cursor;
      cursor = got.data!.nextCursor ?? undefined;
      // The first page was asked plainly: its link leads to page 2; a page asked by cursor, to the next cursor.
      if (!cursor) expect(link).toBeNull();
      else if (asked) expect(link).toContain(`cursor=${cursor}`);
      else expect(link).toContain('page=2');
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(names.length + 1);
    expect(new Set(seen).size).toBe(seen.length);

    const second = await admin.GET('/schemas/{schemaId}/objects', {
      params: {
        path,
        query: {
          limit: 2,
          cursor: (await admin.GET('/schemas/{schemaId}/objects', { params: { path, query: { limit: 2 } } }))
            .data!.nextCursor!,
        },
      },
    });
    const back = await admin.GET('/schemas/{schemaId}/objects', {
      params: { path, query: { limit: 2, cursor: second.data!.previousCursor! } },
    });
    expect(back.data!.items.map((o) => o.id)).toEqual(seen.slice(0, 2));
    const last = await admin.GET('/schemas/{schemaId}/objects', {
      params: { path, query: { limit: 2, cursor: second.data!.lastCursor! } },
    });
    // The last page is the one Next ended on: what is left after whole pages of 2.
    expect(last.data!.items.map((o) => o.id)).toEqual(seen.slice(-(seen.length % 2 || 2)));

    const bad = await admin.GET('/schemas/{schemaId}/objects', {
      params: { path, query: { cursor: 'garbage' } },
    });
    expect(bad.response.status).toBe(400);
    expect(problemOf(bad.error).errors![0]!.field).toBe('query.cursor');
    const both = await admin.GET('/schemas/{schemaId}/objects', {
      params: { path, query: { cursor: second.data!.previousCursor!, page: 2 } },
    });
    expect(both.response.status).toBe(400);
    expect(problemOf(both.error).detail).toMatch(/one of cursor, page and start/);
  });
});
