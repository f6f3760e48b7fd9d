// A synchronisation's own headers and query parameters (`sourceConfig.headers` / `sourceConfig.query`)
// through /api/v1 and tRPC, as a source's settings: a secret-looking one is refused at its field, saying
// it belongs in the source's secrets (which the synchronisation's requests carry); a harmless name that
// holds key or auth (sort_key, author) is saved and shown; a row an earlier version saved with a secret
// there is answered masked — to a read-only key, tRPC and the form alike —, still sends it when it runs,
// and a save of its masked answer keeps the value (encrypted, as the synchronisation's own secret) instead
// of storing the mask, unless the synchronisation now reads another source.
import type { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synchronisations } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import type { InvalidInput } from '@/server/services/field-issues';
import { loadSynchronisation } from '@/server/services/synchronisations';
import { readSyncSecrets } from '@/server/services/sync-secrets';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';
import { json, startServer, type Seen, type TestServer } from '../sync/http/server';
import { apiClient, problemOf, useDatabase } from './client';

let db: TestDatabase;
let peer: TestServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let writer: ReturnType<typeof apiClient>;
let reader: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startServer((_req, res) => json(res, 200, people(2)));
  s = await restToRegister(db.db, peer.origin);
  const key = async (scopes: ('read' | 'write')[]) =>
    (await s.api.apiKeys.create({ orgId: s.orgId, name: scopes.join('+'), scopes })).key;
  writer = apiClient(await key(['read', 'write']));
  reader = apiClient(await key(['read']));
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.close();
  await db.close();
});

const storedConfig = async (syncId: string) =>
  (await loadSynchronisation(db.db, s.orgId, syncId)).sourceConfig;

/** The API body of a synchronisation like the one set up, with these settings. */
const syncBody = (name: string, sourceConfig: Record<string, unknown>) => ({
  name,
  enabled: false,
  sourceId: s.input.sourceId,
  sourceEndpoint: s.input.sourceEndpoint,
  mappingId: s.input.mappingId,
  targetType: 'register' as const,
  targetRegisterId: s.input.targetRegisterId,
  targetSchemaId: s.input.targetSchemaId,
  sourceConfig,
});

/** What the peer received: the header X-Api-Key and the query parameter token. */
const sent = (seen: Seen[]) =>
  seen.map((r) => ({
    key: r.headers['x-api-key'],
    token: new URL(r.url, peer.origin).searchParams.get('token'),
  }));

/** The tRPC refusal's field issues. */
async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected the save to be refused');
    },
    (e: unknown) => e as TRPCError,
  );
  expect(error.code).toBe('BAD_REQUEST');
  return (error.cause as InvalidInput).issues;
}

describe('secrets in a synchronisation’s own headers and query parameters', () => {
  it('are refused at their field through the API, pointing to the source’s secrets, and nothing is saved', async () => {
    const refused = await writer.POST('/synchronisations', {
      body: syncBody('With a key', {
        pagination: { kind: 'link-header' },
        headers: { 'X-Api-Key': 'TOPSECRET-XK', Accept: 'application/json' },
        query: { token: 'TOPSECRET-Q', sort_key: 'name' },
      }),
    });
    expect(refused.response.status).toBe(400);
    const problem = problemOf(refused.error);
    expect(problem.errors!.map((e) => e.field).sort()).toEqual([
      'body.sourceConfig.headers.X-Api-Key',
      'body.sourceConfig.query.token',
    ]);
    const at = (field: string) => problem.errors!.find((e) => e.field === field)!.detail;
    expect(at('body.sourceConfig.headers.X-Api-Key')).toMatch(
      /give it to the source instead.*secret header of the source \(its secret "header:X-Api-Key"\), which is sent with this synchronisation's requests too/,
    );
    expect(at('body.sourceConfig.query.token')).toMatch(
      /secret query parameter of the source .*"query:token"/,
    );
    expect(JSON.stringify(problem)).not.toContain('TOPSECRET');
    const listed = await reader.GET('/synchronisations', { params: { query: { limit: 200 } } });
    expect(listed.data!.items.map((i) => i.name)).not.toContain('With a key');
  });

  it('are refused at their field when the form (tRPC) saves them', async () => {
    const issues = await issuesOf(
      s.api.synchronisations.update({
        orgId: s.orgId,
        syncId: s.sync.id,
        ...s.input,
        sourceConfig: {
          pagination: { kind: 'link-header' },
          headers: { Authorization: 'Bearer TOPSECRET-B' },
          query: { apiKey: 'TOPSECRET-K' },
        },
      }),
    );
    expect(issues).toEqual([
      {
        field: 'sourceConfig.headers.Authorization',
        message: expect.stringMatching(/its authentication \(bearer or basic\)/),
      },
      { field: 'sourceConfig.query.apiKey', message: expect.stringMatching(/"query:apiKey"/) },
    ]);
    expect(JSON.stringify(await storedConfig(s.sync.id))).not.toContain('TOPSECRET');
  });

  it('take harmless names that hold key or auth (sort_key, author, keyword), shown and sent as they are', async () => {
    const created = await writer.POST('/synchronisations', {
      body: syncBody('Sorted', {
        pagination: { kind: 'link-header' },
        query: { sort_key: 'name', author: 'ann', keyword: 'x' },
        headers: { 'X-Monkey': 'yes' },
      }),
    });
    expect(created.response.status).toBe(201);
    const got = await reader.GET('/synchronisations/{syncId}', {
      params: { path: { syncId: created.data!.id } },
    });
    expect(got.data!.sourceConfig).toMatchObject({
      query: { sort_key: 'name', author: 'ann', keyword: 'x' },
      headers: { 'X-Monkey': 'yes' },
    });
  });
});

describe('a synchronisation an earlier version saved with a secret in its settings', () => {
  const LEGACY_KEY = 'LEGACY-KEY-5e4d3c';
  const LEGACY_TOKEN = 'LEGACY-TOKEN-9f8e7d';

  async function legacySync() {
    // The row as an earlier version saved it: the values in its settings, in plain text.
    const sourceConfig = {
      ...(await storedConfig(s.sync.id)),
      headers: { 'X-Api-Key': LEGACY_KEY, 'Accept-Language': 'nl' },
      query: { token: LEGACY_TOKEN },
    };
    await db.db.update(synchronisations).set({ sourceConfig }).where(eq(synchronisations.id, s.sync.id));
  }

  it('is answered masked to a read-only key and tRPC, and still sends the values when run', async () => {
    await legacySync();
    const path = { syncId: s.sync.id };
    const got = await reader.GET('/synchronisations/{syncId}', { params: { path } });
    expect(got.response.status).toBe(200);
    expect(got.data!.sourceConfig).toMatchObject({
      headers: { 'X-Api-Key': '***', 'Accept-Language': 'nl' },
      query: { token: '***' },
    });
    const listed = await reader.GET('/synchronisations', { params: { query: { limit: 200 } } });
    const trpc = [
      await s.api.synchronisations.get({ orgId: s.orgId, ...path }),
      await s.api.synchronisations.list({ orgId: s.orgId }),
      await s.api.synchronisations.setEnabled({ orgId: s.orgId, ...path, enabled: true }),
    ];
    for (const answer of [got.data, listed.data, ...trpc])
      expect(JSON.stringify(answer)).not.toMatch(/LEGACY-/);
    expect((trpc[0] as { sourceConfig: unknown }).sourceConfig).toMatchObject({
      headers: { 'X-Api-Key': '***' },
      query: { token: '***' },
    });

    const before = peer.seen.length;
    await runDirect(db.db, s.orgId, s.sync.id, { force: true });
    expect(sent(peer.seen.slice(before))[0]).toEqual({ key: LEGACY_KEY, token: LEGACY_TOKEN });
  });

  it('sends the values to the source’s own address only, not to an endpoint on another host', async () => {
    await legacySync();
    const other = await startServer((_req, res) => json(res, 200, people(2)));
    try {
      // A write key points the endpoint at a host of its choosing (a whole URL): the masked values are
      // kept (the source is the same), but they go nowhere but the source's address.
      const path = { syncId: s.sync.id };
      const patched = await writer.PATCH('/synchronisations/{syncId}', {
        params: { path },
        body: { sourceEndpoint: `${other.origin}/people` },
      });
      expect(patched.response.status).toBe(200);
      await runDirect(db.db, s.orgId, s.sync.id, { force: true });
      expect(other.seen.length).toBeGreaterThan(0);
      expect(sent(other.seen)).toEqual(other.seen.map(() => ({ key: undefined, token: null })));
      expect(other.seen.map((r) => r.headers['accept-language'])).toContain('nl');
    } finally {
      await writer.PATCH('/synchronisations/{syncId}', {
        params: { path: { syncId: s.sync.id } },
        body: { sourceEndpoint: s.input.sourceEndpoint },
      });
      await other.close();
    }
  });

  it('keeps the values when its masked answer is saved back (API PATCH, the form), never the mask', async () => {
    await legacySync();
    const path = { syncId: s.sync.id };
    // A PATCH of another field: the saved settings are checked again and keep their values.
    const described = await writer.PATCH('/synchronisations/{syncId}', {
      params: { path },
      body: { description: 'Nightly' },
    });
    expect(described.response.status).toBe(200);
    expect(JSON.stringify(described.data)).not.toMatch(/LEGACY-/);
    // The answer's settings sent back, masks and all.
    const got = await reader.GET('/synchronisations/{syncId}', { params: { path } });
    const patched = await writer.PATCH('/synchronisations/{syncId}', {
      params: { path },
      body: { sourceConfig: got.data!.sourceConfig },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data!.sourceConfig).toMatchObject({
      headers: { 'X-Api-Key': '***' },
      query: { token: '***' },
    });
    // The form: what tRPC's get answered, saved as it is.
    const form = await s.api.synchronisations.get({ orgId: s.orgId, ...path });
    await s.api.synchronisations.update({
      orgId: s.orgId,
      ...path,
      ...s.input,
      sourceConfig: form.sourceConfig,
    });
    // Saved again, the values are the synchronisation's own secrets, encrypted; its settings hold their
    // placeholders only.
    expect(await storedConfig(s.sync.id)).toMatchObject({
      headers: { 'X-Api-Key': '***', 'Accept-Language': 'nl' },
      query: { token: '***' },
    });
    expect(JSON.stringify(await storedConfig(s.sync.id))).not.toMatch(/LEGACY-/);
    expect(await readSyncSecrets(db.db, s.orgId, s.sync.id)).toEqual({
      'header:X-Api-Key': LEGACY_KEY,
      'query:token': LEGACY_TOKEN,
    });

    const before = peer.seen.length;
    await runDirect(db.db, s.orgId, s.sync.id, { force: true });
    expect(sent(peer.seen.slice(before))[0]).toEqual({ key: LEGACY_KEY, token: LEGACY_TOKEN });
  });

  it('refuses its masked values when the synchronisation moves to another source', async () => {
    await legacySync();
    const other = await writer.POST('/sources', {
      body: { name: 'Elsewhere', type: 'rest', config: { baseUrl: 'https://elsewhere.example.net' } },
    });
    const patched = await writer.PATCH('/synchronisations/{syncId}', {
      params: { path: { syncId: s.sync.id } },
      body: { sourceId: other.data!.id },
    });
    expect(patched.response.status).toBe(400);
    expect(problemOf(patched.error).errors).toEqual([
      expect.objectContaining({
        field: 'body.sourceConfig.headers.X-Api-Key',
        detail: expect.stringMatching(
          /^Choosing another source clears the saved value of the header "X-Api-Key"/,
        ),
      }),
      expect.objectContaining({ field: 'body.sourceConfig.query.token' }),
    ]);
    expect((await loadSynchronisation(db.db, s.orgId, s.sync.id)).sourceId).toBe(s.source.id);
  });
});

describe('the source’s secret headers and query parameters', () => {
  it('go with the synchronisation’s requests when it runs', async () => {
    await db.db
      .update(synchronisations)
      .set({ sourceConfig: { pagination: { kind: 'link-header' } } })
      .where(eq(synchronisations.id, s.sync.id));
    const changed = await writer.PATCH('/sources/{sourceId}', {
      params: { path: { sourceId: s.source.id } },
      body: { secrets: { 'header:X-Api-Key': 'SOURCE-KEY-1234', 'query:token': 'SOURCE-TOKEN-5678' } },
    });
    expect(changed.data!.secretsSet).toEqual(['header:X-Api-Key', 'query:token']);
    const before = peer.seen.length;
    await runDirect(db.db, s.orgId, s.sync.id, { force: true });
    expect(sent(peer.seen.slice(before))[0]).toEqual({ key: 'SOURCE-KEY-1234', token: 'SOURCE-TOKEN-5678' });
  });
});
