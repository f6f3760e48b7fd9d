// "Test connection" against json-server as a real REST peer: what Concord detects (results position, id
// field, Link-header pagination, a sample), failures returned as values with a reason, secrets kept out
// of the answer, and the gate: viewers cannot make Concord call URLs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detect, testConnection } from '@/server/services/source-test';
import { callerFor, createMember, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { startTrickleServer } from './helpers/trickle-server';

const SECRET = 'tok_CONCORD_TEST_SECRET_5d1e';
const items = Array.from({ length: 12 }, (_, i) => ({ uuid: `u-${i + 1}`, name: `item ${i + 1}` }));
const people = [{ id: 7, name: 'Ada' }];

let db: TestDatabase;
let server: JsonServer;
let owner: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startJsonServer({ items, people, wrapped: [] });
  owner = await createOwner(db.db);
});
afterAll(async () => {
  await server.stop();
  await db.close();
});
afterEach(() => server.clearFaults());

async function restSource(config: Record<string, unknown> = {}, secrets?: Record<string, string>) {
  const api = callerFor(db.db, owner.user);
  return api.sources.create({
    orgId: owner.org.id,
    name: `json-server ${Math.random().toString(36).slice(2, 7)}`,
    type: 'rest',
    config: { baseUrl: server.url, ...config },
    secrets,
  });
}

describe('sources.testConnection', () => {
  it('detects the list at the root, the id field and Link-header pagination', async () => {
    const source = await restSource({ auth: { type: 'bearer' } }, { token: SECRET });
    const api = callerFor(db.db, owner.user);
    const result = await api.sources.testConnection({
      orgId: owner.org.id,
      sourceId: source.id,
      endpoint: '/items?_page=1&_limit=5',
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.status).toBe(200);
    expect(result.timeMs).toBeGreaterThanOrEqual(0);
    expect(result.headers['link']).toContain('rel="next"');
    expect(result.headers['x-total-count']).toBe('12');
    expect(result.bodyStart).toContain('"uuid": "u-1"');
    expect(result.detected).toMatchObject({
      resultsPosition: '_root',
      objectCount: 5,
      idField: 'uuid',
      pagination: { kind: 'link-header' },
      sample: { uuid: 'u-1', name: 'item 1' },
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('detects a wrapped list and a body next link, and checks a given id field', async () => {
    await server.faults([
      {
        path: '/wrapped',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { data: [{ '@attributes': { id: 'a1' }, title: 'x' }], next: `${server.url}/wrapped?page=2` },
      },
    ]);
    const source = await restSource();
    const api = callerFor(db.db, owner.user);
    const auto = await api.sources.testConnection({
      orgId: owner.org.id,
      sourceId: source.id,
      endpoint: '/wrapped',
    });
    if (!auto.ok) throw new Error(auto.reason);
    expect(auto.detected).toMatchObject({
      resultsPosition: 'data',
      idField: '@attributes.id',
      pagination: { kind: 'next-link' },
    });
    const given = await api.sources.testConnection({
      orgId: owner.org.id,
      sourceId: source.id,
      endpoint: '/wrapped',
      idField: 'title.missing',
    });
    expect(given.ok && given.detected.idField).toBe(null);
    expect(given.ok && given.detected.idProblem).toMatch(/title\.missing/);
  });

  it('answers a 500 with ok: false and the reason, not an exception', async () => {
    await server.faults([{ path: '/people', status: 500, body: 'database is down' }]);
    const source = await restSource();
    const api = callerFor(db.db, owner.user);
    const result = await api.sources.testConnection({
      orgId: owner.org.id,
      sourceId: source.id,
      endpoint: '/people',
    });
    expect(result).toMatchObject({ ok: false, status: 500 });
    expect(!result.ok && result.reason).toMatch(/500.*database is down/);
  });

  it("cuts off a source that trickles its answer at the source's deadline, in one attempt", async () => {
    const trickle = await startTrickleServer(100);
    try {
      const source = await restSource({ baseUrl: trickle.url, deadlineMs: 1_000 });
      const api = callerFor(db.db, owner.user);
      const result = await api.sources.testConnection({ orgId: owner.org.id, sourceId: source.id });
      expect(result).toMatchObject({ ok: false });
      expect(!result.ok && result.reason).toBe(
        `GET ${trickle.url}/ failed: the whole answer did not arrive within 1 s (the deadline per request).`,
      );
      expect(trickle.requests).toHaveLength(1);
    } finally {
      await trickle.close();
    }
  });

  it('answers a refused address and a missing secret with ok: false', async () => {
    const source = await restSource();
    const refused = await testConnection(
      db.db,
      owner.org.id,
      source.id,
      { endpoint: '/people' },
      {
        urlPolicy: { allowPrivateNetworks: false },
      },
    );
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.reason).toMatch(/loopback/);

    const keyless = await restSource({ auth: { type: 'apiKey', in: 'header', name: 'X-Key' } });
    const api = callerFor(db.db, owner.user);
    const missing = await api.sources.testConnection({ orgId: owner.org.id, sourceId: keyless.id });
    expect(!missing.ok && missing.reason).toMatch(/secret "apiKey" is not set/);
  });

  it('does not carry the OAuth2 client secret to another origin the token endpoint redirects to', async () => {
    // The other origin records every body it receives; the token endpoint sends the form there (307).
    const received: string[] = [];
    const listen = (handler: Parameters<typeof createServer>[1]) =>
      new Promise<Server>((resolve) => {
        const http = createServer(handler);
        http.listen(0, '127.0.0.1', () => resolve(http));
      });
    const other = await listen((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'stolen', token_type: 'Bearer' }));
      });
    });
    const otherPort = (other.address() as AddressInfo).port;
    const tokens = await listen((_req, res) => {
      res.writeHead(307, { location: `http://localhost:${otherPort}/token` });
      res.end();
    });
    const tokenUrl = `http://127.0.0.1:${(tokens.address() as AddressInfo).port}/token`;
    try {
      const source = await restSource(
        { auth: { type: 'oauth2', tokenUrl, clientId: 'concord' } },
        { clientSecret: SECRET },
      );
      const result = await callerFor(db.db, owner.user).sources.testConnection({
        orgId: owner.org.id,
        sourceId: source.id,
        endpoint: '/people',
      });
      expect(received.join('\n')).not.toContain(SECRET);
      expect(result).toMatchObject({ ok: false });
      expect(JSON.stringify(result)).toMatch(/redirected to another origin .*localhost:\d+/);
      expect(JSON.stringify(result)).not.toContain(SECRET);
    } finally {
      other.close();
      tokens.close();
    }
  });

  it('is FORBIDDEN to a viewer, who may still read the source', async () => {
    const source = await restSource();
    const viewer = await createMember(db.db, owner.org.id, owner.user.id, 'viewer');
    const api = callerFor(db.db, viewer);
    await expect(api.sources.get({ orgId: owner.org.id, sourceId: source.id })).resolves.toMatchObject({
      id: source.id,
    });
    const denied = await api.sources
      .testConnection({ orgId: owner.org.id, sourceId: source.id })
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(TRPCError);
    expect((denied as TRPCError).code).toBe('FORBIDDEN');
  });
});

describe('detect', () => {
  it('reports a list it cannot find, with the keys it saw', () => {
    const found = detect({}, { total: 3, things: {} }, {});
    expect(found.resultsPosition).toBe(null);
    expect(found.resultsProblem).toMatch(/keys: total, things/);
    expect(found.pagination).toEqual({ kind: 'none' });
  });
});
