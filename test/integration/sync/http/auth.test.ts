// Every kind of authentication as the server receives it, the OAuth2 token life cycle, and secrets
// kept out of every reason and event even when a server echoes them back.
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthConfig, HttpClient, HttpEvent } from '@/server/sync/http';
import { json, startServer, testClient, text, type Seen, type TestServer } from './server';

let server: TestServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

const apiRequests = (seen: Seen[]) => seen.filter((s) => !s.url.startsWith('/token'));
const tokenRequests = (seen: Seen[]) => seen.filter((s) => s.url.startsWith('/token'));

describe('authentication seen by the server', () => {
  it.each<[string, AuthConfig, (seen: Seen) => unknown]>([
    ['none', { type: 'none' }, (s) => s.headers.authorization],
    [
      'API key in a header',
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'k-123456' },
      (s) => s.headers['x-api-key'],
    ],
    [
      'API key in the query',
      { type: 'apiKey', in: 'query', name: 'api_key', value: 'k-123456' },
      (s) => s.url,
    ],
    ['bearer token', { type: 'bearer', token: 'tok-abcdef' }, (s) => s.headers.authorization],
    ['basic', { type: 'basic', username: 'ann', password: 'p@ss:word' }, (s) => s.headers.authorization],
  ])('%s', async (name, auth, read) => {
    server = await startServer((_req, res) => json(res, 200, []));
    client = testClient(server, { auth }).client;
    expect((await client.send({ endpoint: '/items', query: { page: 2 } })).ok).toBe(true);
    const expected: Record<string, unknown> = {
      none: undefined,
      'API key in a header': 'k-123456',
      'API key in the query': '/items?page=2&api_key=k-123456',
      'bearer token': 'Bearer tok-abcdef',
      basic: `Basic ${Buffer.from('ann:p@ss:word').toString('base64')}`,
    };
    expect(read(server.seen[0] as Seen)).toBe(expected[name]);
  });

  it('does not send credentials to another origin a next link points at', async () => {
    const other = await startServer((_req, res) => json(res, 200, []));
    server = await startServer((_req, res) => json(res, 200, []));
    client = testClient(server, { auth: { type: 'bearer', token: 'tok-abcdef' } }).client;
    await client.fetch({ url: `${server.origin}/items?page=2` });
    await client.fetch({ url: `http://localhost:${other.port}/items?page=3` });
    expect(server.seen[0]?.headers.authorization).toBe('Bearer tok-abcdef');
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
    await other.close();
  });
});

describe('OAuth2 client credentials', () => {
  const oauth = (origin: string, clientAuth?: 'body' | 'basic'): AuthConfig => ({
    type: 'oauth2',
    tokenUrl: `${origin}/token`,
    clientId: 'concord',
    clientSecret: 'very-secret-value',
    scope: 'items:read',
    audience: 'https://api.example',
    clientAuth,
  });

  it('fetches a token once, sends it, and reuses it until shortly before it expires', async () => {
    let now = 1_000_000;
    let issued = 0;
    server = await startServer((req, res) => {
      if (req.url === '/token')
        return json(res, 200, { access_token: `at-${++issued}`, token_type: 'Bearer', expires_in: 3600 });
      json(res, 200, []);
    });
    const events: HttpEvent[] = [];
    client = testClient(server, {
      auth: oauth(server.origin),
      now: () => now,
      onEvent: (e) => events.push(e),
    }).client;

    await client.send({ endpoint: '/items' });
    await client.send({ endpoint: '/items' });
    now += 3540_000 - 1; // just before the renewal point (one minute early)
    await client.send({ endpoint: '/items' });
    now += 1;
    await client.send({ endpoint: '/items' });

    const tokenCall = tokenRequests(server.seen)[0];
    expect(tokenCall?.method).toBe('POST');
    expect(tokenCall?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenCall?.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'items:read',
      audience: 'https://api.example',
      client_id: 'concord',
      client_secret: 'very-secret-value',
    });
    expect(apiRequests(server.seen).map((s) => s.headers.authorization)).toEqual([
      'Bearer at-1',
      'Bearer at-1',
      'Bearer at-1',
      'Bearer at-2',
    ]);
    expect(events.map((e) => e.type === 'token' && e.reason)).toEqual(['first', 'expired']);
  });

  it('shares one token request between concurrent calls', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/token') return json(res, 200, { access_token: 'at-1', expires_in: 60 });
      json(res, 200, []);
    });
    const shared = testClient(server, { auth: oauth(server.origin) }).client;
    client = shared;
    await Promise.all([1, 2, 3].map(() => shared.send({ endpoint: '/items' })));
    expect(tokenRequests(server.seen)).toHaveLength(1);
  });

  it('can authenticate to the token endpoint with basic instead of the form', async () => {
    server = await startServer((req, res) =>
      req.url === '/token' ? json(res, 200, { access_token: 'at-1' }) : json(res, 200, []),
    );
    client = testClient(server, { auth: oauth(server.origin, 'basic') }).client;
    await client.send({ endpoint: '/items' });
    const tokenCall = tokenRequests(server.seen)[0];
    expect(tokenCall?.headers.authorization).toBe(
      `Basic ${Buffer.from('concord:very-secret-value').toString('base64')}`,
    );
    expect(tokenCall?.body).not.toContain('client_secret');
  });

  it('on a 401 fetches a new token once and repeats the request', async () => {
    let issued = 0;
    server = await startServer((req, res) => {
      if (req.url === '/token') return json(res, 200, { access_token: `at-${++issued}`, expires_in: 3600 });
      // The server revoked the first token.
      if (req.headers.authorization === 'Bearer at-1') return json(res, 401, { error: 'invalid_token' });
      json(res, 200, [{ id: 1 }]);
    });
    client = testClient(server, { auth: oauth(server.origin) }).client;
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: true, body: [{ id: 1 }] });
    expect(apiRequests(server.seen).map((s) => s.headers.authorization)).toEqual([
      'Bearer at-1',
      'Bearer at-2',
    ]);
  });

  it('does not loop when the API keeps refusing fresh tokens', async () => {
    server = await startServer((req, res) =>
      req.url === '/token' ? json(res, 200, { access_token: 'at-x' }) : json(res, 401, { error: 'nope' }),
    );
    client = testClient(server, { auth: oauth(server.origin) }).client;
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: false, kind: 'auth', status: 401 });
    expect(apiRequests(server.seen)).toHaveLength(2);
    expect(tokenRequests(server.seen)).toHaveLength(2);
  });

  it('explains a refused token request without showing the client secret', async () => {
    server = await startServer((req, res) =>
      req.url === '/token'
        ? json(res, 401, { error: 'invalid_client', received: req.body })
        : json(res, 200, []),
    );
    client = testClient(server, { auth: oauth(server.origin) }).client;
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: false, kind: 'auth' });
    expect(!result.ok && result.reason).toMatch(
      new RegExp(`^The OAuth2 token request failed: POST ${server.origin}/token answered 401 Unauthorized: `),
    );
    expect(JSON.stringify(result)).toContain('invalid_client');
    expect(JSON.stringify(result)).not.toContain('very-secret-value');
    expect(apiRequests(server.seen)).toHaveLength(0);
  });
});

describe('secrets in failure reasons and events', () => {
  it.each<[string, AuthConfig, string[]]>([
    [
      'an API key in the query',
      { type: 'apiKey', in: 'query', name: 'key', value: 'qk-9f8e7d6c' },
      ['qk-9f8e7d6c'],
    ],
    [
      'an API key header',
      { type: 'apiKey', in: 'header', name: 'X-Key', value: 'hk-9f8e7d6c' },
      ['hk-9f8e7d6c'],
    ],
    ['a bearer token', { type: 'bearer', token: 'bt-9f8e7d6c' }, ['bt-9f8e7d6c']],
    [
      'a basic password',
      { type: 'basic', username: 'ann', password: 'pw-9f8e7d6c' },
      ['pw-9f8e7d6c', Buffer.from('ann:pw-9f8e7d6c').toString('base64')],
    ],
  ])('never shows %s, even when the server echoes the request', async (_name, auth, secrets) => {
    // A careless server that puts the whole request in its error page.
    server = await startServer((req, res) =>
      text(res, 500, `failed for ${req.url} ${JSON.stringify(req.headers)}`),
    );
    const events: HttpEvent[] = [];
    client = testClient(server, { auth, retry: { maxAttempts: 2 }, onEvent: (e) => events.push(e) }).client;
    const result = await client.send({ endpoint: '/items' });
    expect(result.ok).toBe(false);
    const visible = JSON.stringify({ result, events });
    for (const secret of secrets) expect(visible).not.toContain(secret);
    expect(visible).toContain('***');
  });

  it('masks secret-looking query parameters in reasons and in the display URL', async () => {
    server = await startServer((_req, res) => json(res, 200, []));
    client = testClient(server).client;
    const result = await client.fetch({ url: `${server.origin}/x?signature=abc123xyz&page=2` });
    expect(result).toMatchObject({
      ok: true,
      url: `${server.origin}/x?signature=abc123xyz&page=2`,
      displayUrl: `${server.origin}/x?signature=***&page=2`,
    });
  });

  it('masks secret-looking query parameters already in a URL', async () => {
    server = await startServer((_req, res) => text(res, 404, 'not here'));
    client = testClient(server).client;
    const result = await client.fetch({ url: `${server.origin}/x?access_token=abc123xyz&page=2` });
    expect(!result.ok && result.reason).toBe(
      `GET ${server.origin}/x?access_token=***&page=2 answered 404 Not Found: not here`,
    );
  });
});
