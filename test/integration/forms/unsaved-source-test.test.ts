// Test connection before a source is saved: the form's settings and secrets tried against json-server
// as a real peer through the same URL guard as a saved source's test, a failing answer as a reason with
// what to do, a private address refused unless allowed, bad settings placed at their fields, nothing
// stored, and the gate (viewers may not make Concord call URLs).
import { TRPCError } from '@trpc/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInput } from '@/server/services/field-issues';
import { testUnsavedSource } from '@/server/services/source-test-unsaved';
import { callerFor, createMember, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';

const SECRET = 'tok_FORMS_UNSAVED_SECRET_91a';
const cars = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, make: `make ${i + 1}`, year: 1970 + i }));

let db: TestDatabase;
let server: JsonServer;
let owner: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startJsonServer({ cars });
  owner = await createOwner(db.db);
});
afterAll(async () => {
  await server.stop();
  await db.close();
});
afterEach(() => server.clearFaults());

const api = () => callerFor(db.db, owner.user);

describe('sources.testUnsaved', () => {
  it('tries the typed settings and secret: status, the objects found and a sample — and stores nothing', async () => {
    const before = await api().sources.list({ orgId: owner.org.id });
    const answer = await api().sources.testUnsaved({
      orgId: owner.org.id,
      type: 'rest',
      config: { baseUrl: server.url, auth: { type: 'bearer' } },
      secrets: { token: SECRET },
      endpoint: '/cars',
    });
    if (answer.type !== 'rest' || !answer.result.ok) throw new Error(JSON.stringify(answer));
    expect(answer.result.status).toBe(200);
    expect(answer.result.detected).toMatchObject({
      resultsPosition: '_root',
      objectCount: 7,
      idField: 'id',
      sample: { id: 1, make: 'make 1', year: 1970 },
    });
    expect(answer.result.detected.samples).toHaveLength(7);
    expect(JSON.stringify(answer)).not.toContain(SECRET);
    expect(await api().sources.list({ orgId: owner.org.id })).toEqual(before);
  });

  it('answers a 500 with the status, the reason and what to do', async () => {
    await server.faults([{ path: '/cars', status: 500, body: 'database is down' }]);
    const answer = await api().sources.testUnsaved({
      orgId: owner.org.id,
      type: 'rest',
      config: { baseUrl: server.url },
      endpoint: '/cars',
    });
    expect(answer.type).toBe('rest');
    expect(answer.result).toMatchObject({ ok: false, status: 500 });
    if (answer.result.ok) throw new Error('expected a failure');
    expect(answer.result.reason).toMatch(/500.*database is down/);
    expect(answer.result.advice).toMatch(/try again later/);
  });

  it('refuses a private address unless private addresses are allowed, saying how to allow them', async () => {
    const source = { type: 'rest' as const, config: { baseUrl: server.url } };
    const served = (await server.requests()).length;
    const refused = await testUnsavedSource(
      db.db,
      owner.org.id,
      source,
      { endpoint: '/cars' },
      {
        urlPolicy: { allowPrivateNetworks: false },
      },
    );
    if (refused.result.ok) throw new Error('a loopback address was called');
    expect(refused.result.reason).toMatch(/loopback/);
    expect(refused.result.advice).toMatch(/CONCORD_ALLOW_PRIVATE_URLS=1/);
    expect(await server.requests()).toHaveLength(served);

    const allowed = await testUnsavedSource(
      db.db,
      owner.org.id,
      source,
      { endpoint: '/cars' },
      {
        urlPolicy: { allowPrivateNetworks: true },
      },
    );
    expect(allowed.result.ok).toBe(true);
  });

  it('places a bad setting at its field in words, before calling anything', async () => {
    const error = await api()
      .sources.testUnsaved({ orgId: owner.org.id, type: 'rest', config: { baseUrl: 'not a url' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    const cause = (error as TRPCError).cause;
    expect(cause).toBeInstanceOf(InvalidInput);
    expect((cause as InvalidInput).issues).toEqual([
      {
        field: 'config.baseUrl',
        message: 'Base URL must be an http(s) URL, such as https://api.example.com.',
      },
    ]);
  });

  it('says a file source has nothing to connect to, and what to do instead', async () => {
    await expect(
      api().sources.testUnsaved({ orgId: owner.org.id, type: 'file', config: { format: 'csv' } }),
    ).rejects.toThrow(/upload the file/);
  });

  it('is FORBIDDEN to a viewer', async () => {
    const viewer = await createMember(db.db, owner.org.id, owner.user.id, 'viewer');
    const denied = await callerFor(db.db, viewer)
      .sources.testUnsaved({ orgId: owner.org.id, type: 'rest', config: { baseUrl: server.url } })
      .catch((e: unknown) => e);
    expect((denied as TRPCError).code).toBe('FORBIDDEN');
  });
});
