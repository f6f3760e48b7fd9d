// Source credentials are encrypted at rest and write-only: not in the database file as plain text,
// not in any API response — yet still usable by the server.
import { readFileSync } from 'node:fs';
import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInput } from '@/server/services/field-issues';
import { testUnsavedSource } from '@/server/services/source-test-unsaved';
import { readSecrets, loadSource } from '@/server/services/sources';
import { callerFor, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { failure } from './helpers/owner-api';
import { PERSON_MAPPING, personTarget } from './helpers/sync-setup';

const SECRET = 'sk_live_CONCORD_TEST_SECRET_7f3a9c';
const ROTATED = 'sk_live_ROTATED_SECRET_1b2c3d';

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createOwner(db.db);
});
afterAll(() => db.close());

function databaseBytes(): string {
  // WAL mode: recent writes may still be in the -wal file, so read both.
  const parts = [db.file, `${db.file}-wal`].map((f) => {
    try {
      return readFileSync(f).toString('latin1');
    } catch {
      return '';
    }
  });
  return parts.join('');
}

describe('source secrets', () => {
  it('are never returned by the API and never stored as plain text', async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const responses: unknown[] = [];
    const created = await api.sources.create({
      orgId,
      name: 'Billing API',
      type: 'rest',
      config: {
        baseUrl: 'https://billing.example.test/api',
        auth: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      secrets: { apiKey: SECRET },
    });
    responses.push(created);
    responses.push(await api.sources.get({ orgId, sourceId: created.id }));
    responses.push(await api.sources.list({ orgId }));
    responses.push(await api.sources.update({ orgId, sourceId: created.id, name: 'Billing API v2' }));

    for (const response of responses) expect(JSON.stringify(response)).not.toContain(SECRET);
    expect(created.secretsSet).toEqual(['apiKey']);
    expect(databaseBytes()).not.toContain(SECRET);

    // The server can still use it: decrypting gives the value back, and a rename kept it.
    expect(readSecrets(await loadSource(db.db, orgId, created.id))).toEqual({ apiKey: SECRET });
  });

  it('can be replaced and removed without being read back', async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const source = await api.sources.create({
      orgId,
      name: 'Partner API',
      type: 'rest',
      config: { baseUrl: 'https://partner.example.test', auth: { type: 'bearer' } },
      secrets: { token: SECRET },
    });
    const rotated = await api.sources.update({ orgId, sourceId: source.id, secrets: { token: ROTATED } });
    expect(JSON.stringify(rotated)).not.toContain(ROTATED);
    expect(readSecrets(await loadSource(db.db, orgId, source.id))).toEqual({ token: ROTATED });

    const cleared = await api.sources.update({ orgId, sourceId: source.id, secrets: { token: null } });
    expect(cleared.secretsSet).toEqual([]);
    expect(readSecrets(await loadSource(db.db, orgId, source.id))).toEqual({});
  });

  it('rejects a secret the source type does not have, and an invalid config, with the field named', async () => {
    const api = callerFor(db.db, owner.user);
    await expect(
      api.sources.create({
        orgId: owner.org.id,
        name: 'X',
        type: 'rest',
        config: { baseUrl: 'https://x.test' },
        secrets: { pin: '1' },
      }),
    ).rejects.toThrow(/no secret called "pin"/);
    await expect(
      api.sources.create({
        orgId: owner.org.id,
        name: 'X',
        type: 'rest',
        config: { baseUrl: 'ftp://x.test' },
      }),
    ).rejects.toThrow(/^Base URL must be an http\(s\) URL/);
  });
});

// The form's path (tRPC) and the test of unsaved settings: the same rules as the API, in the one service.
describe('secrets kept out of the settings, and tied to the address they were given for', () => {
  const HEADER_SECRET = 'hdr_CONCORD_TEST_SECRET_3c4d';

  it('refuses a secret-looking header on save and in the unsaved test, each at its field', async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const config = { baseUrl: 'https://hr.example.test', headers: { 'X-Api-Key': HEADER_SECRET } };
    const saved = await failure(api.sources.create({ orgId, name: 'HR', type: 'rest', config }));
    expect(saved).toMatchObject({ code: 'BAD_REQUEST', field: 'config.headers.X-Api-Key' });
    const tested = await api.sources.testUnsaved({ orgId, type: 'rest', config }).catch((e: unknown) => e);
    const cause = (tested as TRPCError).cause;
    expect(cause).toBeInstanceOf(InvalidInput);
    expect((cause as InvalidInput).issues).toEqual([
      { field: 'config.headers.X-Api-Key', message: expect.stringMatching(/"header:X-Api-Key"/) },
    ]);
    expect(JSON.stringify(await api.sources.list({ orgId }))).not.toContain(HEADER_SECRET);
  });

  it('takes a secret header in, answers only its name, and drops every secret when the origin changes', async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const source = await api.sources.create({
      orgId,
      name: 'Ledger',
      type: 'rest',
      config: { baseUrl: 'https://ledger.example.test/v1', auth: { type: 'bearer' } },
      secrets: { token: SECRET, 'header:X-Api-Key': HEADER_SECRET },
    });
    expect(source.secretsSet).toEqual(['header:X-Api-Key', 'token']);
    expect(JSON.stringify(source)).not.toContain(HEADER_SECRET);

    const samePlace = await api.sources.update({
      orgId,
      sourceId: source.id,
      config: { baseUrl: 'https://ledger.example.test/v2', auth: { type: 'bearer' } },
    });
    expect(samePlace.secretsSet).toEqual(['header:X-Api-Key', 'token']);

    const moved = await api.sources.update({
      orgId,
      sourceId: source.id,
      config: { baseUrl: 'https://ledger.example.net/v2', auth: { type: 'bearer' } },
    });
    expect(moved.secretsSet).toEqual([]);
    expect(readSecrets(await loadSource(db.db, orgId, source.id))).toEqual({});
  });

  it('does not try the stored secrets of a saved source at another address in the unsaved test', async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const source = await api.sources.create({
      orgId,
      name: 'Stored token',
      type: 'rest',
      config: { baseUrl: 'https://stored.example.test', auth: { type: 'bearer' } },
      secrets: { token: SECRET },
    });
    const answer = await testUnsavedSource(
      db.db,
      orgId,
      {
        type: 'rest',
        sourceId: source.id,
        config: { baseUrl: 'https://attacker.example.net', auth: { type: 'bearer' } },
      },
      {},
      {
        urlPolicy: { allowPrivateNetworks: false },
        http: { resolve: () => Promise.reject(new Error('called')) },
      },
    );
    expect(answer.result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/secret "token" is not set/),
    });
  });
});

describe('secrets in an address', () => {
  const URL_SECRET = 'url_CONCORD_TEST_SECRET_9e8f';

  it("refuses one in a source's base URL or a synchronisation's endpoint, at that field, storing nothing", async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const base = `https://hr.example.test/v1?api_key=${URL_SECRET}`;
    const saved = await failure(
      api.sources.create({ orgId, name: 'HR in URL', type: 'rest', config: { baseUrl: base } }),
    );
    expect(saved).toMatchObject({ code: 'BAD_REQUEST', field: 'config.baseUrl' });
    expect(saved.message).toMatch(
      /query parameter "api_key" looks like it carries a secret.*"query:api_key"/,
    );

    const source = await api.sources.create({
      orgId,
      name: 'HR',
      type: 'rest',
      config: { baseUrl: 'https://hr.example.test/v1?format=json' },
    });
    const { register, schema, mapping } = await personTarget(api, orgId, PERSON_MAPPING);
    const sync = {
      orgId,
      name: 'HR people',
      sourceId: source.id,
      sourceEndpoint: `/people?page=1&access_token=${URL_SECRET}`,
      mappingId: mapping.id,
      targetType: 'register' as const,
      targetRegisterId: register.id,
      targetSchemaId: schema.id,
    };
    const refused = await failure(api.synchronisations.create(sync));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'sourceEndpoint' });
    expect(refused.message).toMatch(/"access_token" looks like it carries a secret.*"query:access_token"/);
    await api.synchronisations.create({ ...sync, sourceEndpoint: '/people?page=1' });
    // A REST target's endpoints alike.
    const toRest = await failure(
      api.synchronisations.create({
        ...sync,
        targetRegisterId: undefined,
        targetSchemaId: undefined,
        name: 'HR people out',
        sourceEndpoint: '/people?page=1',
        targetType: 'source',
        targetSourceId: source.id,
        targetConfig: { createEndpoint: `/people?token=${URL_SECRET}` },
      }),
    );
    expect(toRest).toMatchObject({ code: 'BAD_REQUEST', field: 'targetConfig.createEndpoint' });

    expect(JSON.stringify(await api.sources.list({ orgId }))).not.toContain(URL_SECRET);
    expect(JSON.stringify(await api.synchronisations.list({ orgId }))).not.toContain(URL_SECRET);
    expect(databaseBytes()).not.toContain(URL_SECRET);
  });

  it("refuses a user name and password in a source's base URL, at that field, storing nothing", async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    // Kept there, the password would be plain text in every answer to a viewer, and no run could use it
    // (requests refuse credentials in URLs).
    const withPassword = `https://ada:${URL_SECRET}@hr.example.test/v1`;
    const saved = await failure(
      api.sources.create({ orgId, name: 'HR with login', type: 'rest', config: { baseUrl: withPassword } }),
    );
    expect(saved).toMatchObject({ code: 'BAD_REQUEST', field: 'config.baseUrl' });
    expect(saved.message).toMatch(/user name or password.*basic authentication/);

    const source = await api.sources.create({
      orgId,
      name: 'HR login',
      type: 'rest',
      config: { baseUrl: 'https://hr.example.test/v1' },
    });
    const edited = await failure(
      api.sources.update({ orgId, sourceId: source.id, config: { baseUrl: withPassword } }),
    );
    expect(edited).toMatchObject({ code: 'BAD_REQUEST', field: 'config.baseUrl' });
    expect((await api.sources.get({ orgId, sourceId: source.id })).config).toMatchObject({
      baseUrl: 'https://hr.example.test/v1',
    });
    // An OAuth2 token URL's login alike: the client's id and secret have their own places.
    const token = await failure(
      api.sources.create({
        orgId,
        name: 'HR by OAuth2',
        type: 'rest',
        config: {
          baseUrl: 'https://hr.example.test/v1',
          auth: {
            type: 'oauth2',
            tokenUrl: `https://concord:${URL_SECRET}@auth.example.test/token`,
            clientId: 'c',
          },
        },
      }),
    );
    expect(token).toMatchObject({ code: 'BAD_REQUEST', field: 'config.auth.tokenUrl' });
    expect(token.message).toMatch(/token URL holds a user name or password.*client id and secret/);
    expect(JSON.stringify(await api.sources.list({ orgId }))).not.toContain(URL_SECRET);
    expect(databaseBytes()).not.toContain(URL_SECRET);
  });
});
