// A source's secrets through /api/v1, as the security test found them: a secret in the settings
// (`config.headers` / `config.query`) is refused at its field, saying where it belongs; a secret header
// or query parameter goes in `secrets` and is sent to the API, never answered; a row an earlier version
// saved with such a value is answered masked, still sends it when it runs, and a PATCH of its masked
// answer keeps the value (moved into the secrets) instead of saving the mask; and settings that send
// the secrets to another address (a REST origin, an SQL host or port) drop them unless given again.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { loadSource, readSecrets } from '@/server/services/sources';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';
import { json, startServer, type Seen, type TestServer } from '../sync/http/server';
import { apiClient, problemOf, useDatabase } from './client';

let db: TestDatabase;
let peer: TestServer;
let elsewhere: TestServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let writer: ReturnType<typeof apiClient>;
let reader: ReturnType<typeof apiClient>;

const serve = (_req: Seen, res: Parameters<Parameters<typeof startServer>[0]>[1]) =>
  json(res, 200, people(2));

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startServer(serve);
  elsewhere = await startServer(serve);
  s = await restToRegister(db.db, peer.origin);
  const key = async (scopes: ('read' | 'write')[]) =>
    (await s.api.apiKeys.create({ orgId: s.orgId, name: scopes.join('+'), scopes })).key;
  writer = apiClient(await key(['read', 'write']));
  reader = apiClient(await key(['read']));
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.close();
  await elsewhere.close();
  await db.close();
});

const stored = async (sourceId: string) => {
  const row = await loadSource(db.db, s.orgId, sourceId);
  return { config: row.config, secrets: readSecrets(row) };
};

async function restSource(name: string, config: Record<string, unknown>, secrets?: Record<string, string>) {
  const created = await writer.POST('/sources', { body: { name, type: 'rest', config, secrets } });
  expect(created.response.status).toBe(201);
  return created.data!;
}

describe('secrets in a REST source’s settings', () => {
  it('are refused at their field, saying where they belong, and nothing is saved', async () => {
    const refused = await writer.POST('/sources', {
      body: {
        name: 'hdr2',
        type: 'rest',
        config: {
          baseUrl: 'https://api.example.com',
          headers: { 'X-Api-Key': 'TOPSECRET-XK', Cookie: 'session=TOPSECRET-C', Accept: 'application/json' },
          query: { token: 'TOPSECRET-Q', lang: 'nl' },
        },
      },
    });
    expect(refused.response.status).toBe(400);
    const problem = problemOf(refused.error);
    expect(problem.errors!.map((e) => e.field).sort()).toEqual([
      'body.config.headers.Cookie',
      'body.config.headers.X-Api-Key',
      'body.config.query.token',
    ]);
    const at = (field: string) => problem.errors!.find((e) => e.field === field)!.detail;
    expect(at('body.config.headers.X-Api-Key')).toMatch(
      /API key authentication in the header "X-Api-Key".*secret apiKey.*"header:X-Api-Key"/,
    );
    expect(at('body.config.query.token')).toMatch(/query parameter "token".*"query:token"/);
    expect(JSON.stringify(problem)).not.toContain('TOPSECRET');

    const bearer = await writer.POST('/sources', {
      body: {
        name: 'hdr3',
        type: 'rest',
        config: { baseUrl: 'https://api.example.com', headers: { Authorization: 'Bearer TOPSECRET-B' } },
      },
    });
    expect(problemOf(bearer.error).errors).toEqual([
      expect.objectContaining({
        field: 'body.config.headers.Authorization',
        detail: expect.stringMatching(/bearer \(the token as the secret token\)/),
      }),
    ]);

    const listed = await reader.GET('/sources', { params: { query: { limit: 200 } } });
    expect(listed.data!.items.map((i) => i.name)).not.toContain('hdr2');
    expect(JSON.stringify(listed.data)).not.toContain('TOPSECRET');
  });

  it('are refused when a PATCH adds them to a saved source', async () => {
    const source = await restSource('Plain', { baseUrl: peer.origin });
    const patched = await writer.PATCH('/sources/{sourceId}', {
      params: { path: { sourceId: source.id } },
      body: { config: { baseUrl: peer.origin, query: { api_key: 'TOPSECRET-P' } } },
    });
    expect(patched.response.status).toBe(400);
    expect(problemOf(patched.error).errors).toEqual([
      expect.objectContaining({ field: 'body.config.query.api_key' }),
    ]);
    expect((await stored(source.id)).config).toMatchObject({ query: {} });
  });

  it('go in as secret headers and query parameters: sent to the API, never answered', async () => {
    const source = await restSource(
      'Secret header',
      { baseUrl: `${peer.origin}/v1`, headers: { 'Accept-Language': 'nl' } },
      { 'header:X-Api-Key': 'SECRET-HEADER-1234', 'query:token': 'SECRET-QUERY-5678' },
    );
    expect(source.secretsSet).toEqual(['header:X-Api-Key', 'query:token']);
    const got = await reader.GET('/sources/{sourceId}', { params: { path: { sourceId: source.id } } });
    for (const answer of [source, got.data])
      expect(JSON.stringify(answer)).not.toMatch(/SECRET-(HEADER|QUERY)/);

    const before = peer.seen.length;
    const test = await writer.POST('/sources/{sourceId}/test', {
      params: { path: { sourceId: source.id } },
      body: { endpoint: '/people' },
    });
    expect(test.data).toMatchObject({ ok: true });
    expect(JSON.stringify(test.data)).not.toMatch(/SECRET-(HEADER|QUERY)/);
    const request = peer.seen[before]!;
    expect(request.headers['x-api-key']).toBe('SECRET-HEADER-1234');
    expect(request.headers['accept-language']).toBe('nl');
    expect(new URL(request.url, peer.origin).searchParams.get('token')).toBe('SECRET-QUERY-5678');
  });
});

describe('a source an earlier version saved with a secret in its settings', () => {
  const LEGACY_KEY = 'LEGACY-KEY-0f9e8d';
  const LEGACY_TOKEN = 'LEGACY-TOKEN-7a6b5c';

  async function legacySource() {
    // The row as an earlier version saved it: the values in the settings, in plain text.
    const config = {
      ...(await stored(s.source.id)).config,
      baseUrl: peer.origin,
      headers: { 'X-Api-Key': LEGACY_KEY, 'Accept-Language': 'nl' },
      query: { token: LEGACY_TOKEN },
    };
    await db.db.update(sources).set({ config }).where(eq(sources.id, s.source.id));
  }

  const sentSecrets = (seen: Seen[]) =>
    seen.map((r) => ({
      key: r.headers['x-api-key'],
      token: new URL(r.url, peer.origin).searchParams.get('token'),
    }));

  it('is answered masked, keeps working, and a PATCH of its answer keeps the values as secrets', async () => {
    await legacySource();
    const path = { sourceId: s.source.id };
    const got = await reader.GET('/sources/{sourceId}', { params: { path } });
    const listed = await reader.GET('/sources', { params: { query: { limit: 200 } } });
    expect(got.data!.config).toMatchObject({
      headers: { 'X-Api-Key': '***', 'Accept-Language': 'nl' },
      query: { token: '***' },
    });
    for (const answer of [got.data, listed.data, await s.api.sources.get({ orgId: s.orgId, ...path })])
      expect(JSON.stringify(answer)).not.toMatch(/LEGACY-/);
    expect(JSON.stringify(await s.api.sources.list({ orgId: s.orgId }))).not.toMatch(/LEGACY-/);

    // A run still sends them.
    let before = peer.seen.length;
    await runDirect(db.db, s.orgId, s.sync.id);
    expect(sentSecrets(peer.seen.slice(before))[0]).toEqual({ key: LEGACY_KEY, token: LEGACY_TOKEN });

    // The answer sent back (a read-modify-write): the masks keep the stored values, now as secrets.
    const patched = await writer.PATCH('/sources/{sourceId}', {
      params: { path },
      body: { name: 'People API (legacy)', config: got.data!.config },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data!.secretsSet).toEqual(['header:X-Api-Key', 'query:token']);
    expect(patched.data!.config).toMatchObject({ headers: { 'Accept-Language': 'nl' }, query: {} });
    const row = await stored(s.source.id);
    expect(JSON.stringify(row.config)).not.toMatch(/LEGACY-|\*\*\*/);
    expect(row.secrets).toEqual({ 'header:X-Api-Key': LEGACY_KEY, 'query:token': LEGACY_TOKEN });

    before = peer.seen.length;
    await runDirect(db.db, s.orgId, s.sync.id, { force: true });
    expect(sentSecrets(peer.seen.slice(before))[0]).toEqual({ key: LEGACY_KEY, token: LEGACY_TOKEN });
  });

  it('refuses its masked value sent back with another address, which would take it elsewhere', async () => {
    await legacySource();
    const path = { sourceId: s.source.id };
    const got = await reader.GET('/sources/{sourceId}', { params: { path } });
    const patched = await writer.PATCH('/sources/{sourceId}', {
      params: { path },
      body: { config: { ...got.data!.config, baseUrl: elsewhere.origin } },
    });
    expect(patched.response.status).toBe(400);
    expect(problemOf(patched.error).errors).toEqual([
      expect.objectContaining({
        field: 'body.config.headers.X-Api-Key',
        detail: expect.stringMatching(
          /^Changing the address clears the saved value of the header "X-Api-Key"/,
        ),
      }),
      expect.objectContaining({ field: 'body.config.query.token' }),
    ]);
    expect((await stored(s.source.id)).config).toMatchObject({ baseUrl: peer.origin });
  });
});

describe('a stored secret and a new address', () => {
  const TOKEN = 'TOKEN-a1b2c3d4';
  const path = (sourceId: string) => ({ params: { path: { sourceId } } });

  it('is dropped when the base URL changes origin, and says so in secretsSet', async () => {
    const source = await restSource(
      'Moved',
      { baseUrl: `${peer.origin}/v1`, auth: { type: 'bearer' } },
      {
        token: TOKEN,
      },
    );
    expect(source.secretsSet).toEqual(['token']);
    const moved = await writer.PATCH('/sources/{sourceId}', {
      ...path(source.id),
      body: { config: { baseUrl: 'https://attacker.example.net', auth: { type: 'bearer' } } },
    });
    expect(moved.response.status).toBe(200);
    expect(moved.data!.secretsSet).toEqual([]);
    expect((await stored(source.id)).secrets).toEqual({});

    // Nothing is sent to the new address: the test says the token is missing.
    const test = await writer.POST('/sources/{sourceId}/test', { ...path(source.id), body: {} });
    expect(test.data).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/secret "token" is not set/),
    });
  });

  it('is dropped when only the port changes (another origin)', async () => {
    const source = await restSource(
      'Port',
      { baseUrl: peer.origin, auth: { type: 'bearer' } },
      { token: TOKEN },
    );
    const moved = await writer.PATCH('/sources/{sourceId}', {
      ...path(source.id),
      body: { config: { baseUrl: elsewhere.origin, auth: { type: 'bearer' } } },
    });
    expect(moved.data!.secretsSet).toEqual([]);
    const before = elsewhere.seen.length;
    await writer.POST('/sources/{sourceId}/test', { ...path(source.id), body: {} });
    expect(elsewhere.seen.slice(before).map((r) => r.headers.authorization)).not.toContain(`Bearer ${TOKEN}`);
  });

  it('is kept when only the path changes', async () => {
    const source = await restSource(
      'Path',
      { baseUrl: `${peer.origin}/v1`, auth: { type: 'bearer' } },
      {
        token: TOKEN,
      },
    );
    const moved = await writer.PATCH('/sources/{sourceId}', {
      ...path(source.id),
      body: { config: { baseUrl: `${peer.origin.toUpperCase()}/v2/`, auth: { type: 'bearer' } } },
    });
    expect(moved.data!.secretsSet).toEqual(['token']);
    const before = peer.seen.length;
    const test = await writer.POST('/sources/{sourceId}/test', {
      ...path(source.id),
      body: { endpoint: 'people' },
    });
    expect(test.data).toMatchObject({ ok: true });
    expect(peer.seen[before]).toMatchObject({
      url: '/v2/people',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
  });

  it('is replaced by the secrets the same request gives', async () => {
    const source = await restSource(
      'Moved with its secret',
      { baseUrl: peer.origin, auth: { type: 'bearer' } },
      { token: TOKEN, 'header:X-Tenant': 'tenant-secret-1' },
    );
    const moved = await writer.PATCH('/sources/{sourceId}', {
      ...path(source.id),
      body: {
        config: { baseUrl: elsewhere.origin, auth: { type: 'bearer' } },
        secrets: { token: 'TOKEN-for-elsewhere' },
      },
    });
    expect(moved.data!.secretsSet).toEqual(['token']);
    expect((await stored(source.id)).secrets).toEqual({ token: 'TOKEN-for-elsewhere' });
    const before = elsewhere.seen.length;
    await writer.POST('/sources/{sourceId}/test', { ...path(source.id), body: {} });
    expect(elsewhere.seen[before]?.headers).toMatchObject({ authorization: 'Bearer TOKEN-for-elsewhere' });
    expect(elsewhere.seen[before]?.headers['x-tenant']).toBeUndefined();
  });

  it('is dropped when an OAuth2 token URL moves to another origin (the client secret goes there)', async () => {
    const auth = { type: 'oauth2', tokenUrl: `${peer.origin}/token`, clientId: 'concord' };
    const source = await restSource('OAuth2', { baseUrl: peer.origin, auth }, { clientSecret: 'CS-0987' });
    const same = await writer.PATCH('/sources/{sourceId}', {
      ...path(source.id),
      body: { config: { baseUrl: peer.origin, auth: { ...auth, tokenUrl: `${peer.origin}/oauth/token` } } },
    });
    expect(same.data!.secretsSet).toEqual(['clientSecret']);
    const moved = await writer.PATCH('/sources/{sourceId}', {
      ...path(source.id),
      body: {
        config: { baseUrl: peer.origin, auth: { ...auth, tokenUrl: 'https://attacker.example.net/t' } },
      },
    });
    expect(moved.data!.secretsSet).toEqual([]);
  });

  it('of an SQL source is dropped when its host or port changes, kept when its database does', async () => {
    const sql = { dialect: 'postgres', host: 'db.example.test', port: 5432, database: 'crm', user: 'reader' };
    const { data: source } = await writer.POST('/sources', {
      body: { name: 'CRM', type: 'sql', config: sql, secrets: { password: 'PW-12345' } },
    });
    const patch = (config: Record<string, unknown>, secrets?: Record<string, string>) =>
      writer.PATCH('/sources/{sourceId}', { ...path(source!.id), body: { config, secrets } });

    expect((await patch({ ...sql, database: 'crm2', host: 'DB.example.test' })).data!.secretsSet).toEqual([
      'password',
    ]);
    expect((await patch({ ...sql, port: 6543 })).data!.secretsSet).toEqual([]);
    expect((await patch({ ...sql, port: 6543 }, { password: 'PW-12345' })).data!.secretsSet).toEqual([
      'password',
    ]);
    expect((await patch({ ...sql, port: 6543, host: 'db.attacker.test' })).data!.secretsSet).toEqual([]);
  });
});
