// Retries against a real server: backoff on 5xx and network errors, 429 with the server's wait, the
// attempt limit, the total-wait budget and timeouts. Sleeps are injected and recorded, never real.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '@/server/sync/http';
import { json, startServer, testClient, text, type TestServer } from './server';

let server: TestServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

describe('retries', () => {
  it('retries a 500 with growing backoff and returns the success', async () => {
    server = await startServer((_req, res, i) =>
      i < 2 ? text(res, 500, 'busy') : json(res, 200, [{ id: 1 }]),
    );
    const made = testClient(server, { retry: { baseDelayMs: 100 } });
    client = made.client;
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: true, status: 200, body: [{ id: 1 }], attempts: 3 });
    expect(server.seen).toHaveLength(3);
    // Full jitter with random() = 1 waits the whole ceiling: 100 ms, then 200 ms.
    expect(made.waits).toEqual([100, 200]);
  });

  it('gives up after the attempt limit with a reason naming request, status, attempts and body', async () => {
    server = await startServer((_req, res) => text(res, 500, `Database unavailable\n${'x'.repeat(500)}`));
    const made = testClient(server, { retry: { maxAttempts: 4 } });
    client = made.client;
    const result = await client.send({ endpoint: '/items', query: { page: 3 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result).toMatchObject({ kind: 'http', status: 500, attempts: 4 });
    expect(result.reason).toBe(
      `GET ${server.origin}/items?page=3 answered 500 Internal Server Error after 4 attempts: ` +
        `Database unavailable ${'x'.repeat(179)}…`,
    );
    expect(server.seen).toHaveLength(4);
    expect(made.waits).toHaveLength(3);
  });

  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? text(res, 429, 'slow down', { 'retry-after': '7' }) : json(res, 200, { ok: 1 }),
    );
    const made = testClient(server);
    client = made.client;
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(made.waits).toEqual([7000]);
  });

  it('reads Retry-After as an HTTP date against the injected clock', async () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    server = await startServer((_req, res, i) =>
      i === 0
        ? text(res, 429, '', { 'retry-after': 'Wed, 01 May 2024 12:00:30 GMT' })
        : json(res, 200, { ok: 1 }),
    );
    const made = testClient(server, { now: () => now });
    client = made.client;
    expect((await client.send({ endpoint: '/x' })).ok).toBe(true);
    expect(made.waits).toEqual([30_000]);
  });

  it.each([
    ['epoch seconds', String(Date.parse('2024-05-01T12:00:12Z') / 1000), 12_000],
    ['seconds from now', '5', 5_000],
  ])('honours X-RateLimit-Reset as %s', async (_kind, reset, expected) => {
    server = await startServer((_req, res, i) =>
      i === 0 ? text(res, 429, '', { 'x-ratelimit-reset': reset }) : json(res, 200, {}),
    );
    const made = testClient(server, { now: () => Date.parse('2024-05-01T12:00:00Z') });
    client = made.client;
    expect((await client.send({ endpoint: '/x' })).ok).toBe(true);
    expect(made.waits).toEqual([expected]);
  });

  it('gives up at once when Retry-After is beyond the wait budget, saying so', async () => {
    server = await startServer((_req, res) => text(res, 429, 'quota exceeded', { 'retry-after': '3600' }));
    const made = testClient(server, { retry: { maxTotalWaitMs: 60_000 } });
    client = made.client;
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: false, kind: 'rate-limited', status: 429, attempts: 1 });
    expect(!result.ok && result.reason).toBe(
      `GET ${server.origin}/items answered 429 Too Many Requests; the server asked to wait 3600 s, ` +
        'more than the 60 s left of the 60 s retry budget, so Concord stopped: quota exceeded',
    );
    expect(made.waits).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it('stops backing off when the total wait budget is spent', async () => {
    server = await startServer((_req, res) => text(res, 503, 'down'));
    const made = testClient(server, { retry: { maxAttempts: 10, baseDelayMs: 1000, maxTotalWaitMs: 2500 } });
    client = made.client;
    const result = await client.send({ endpoint: '/x' });
    // 1000 + 1500 (the rest of the budget) — then nothing is left.
    expect(made.waits).toEqual([1000, 1500]);
    expect(!result.ok && result.reason).toMatch(/after 3 attempts; the 2.5 s retry budget is used up: down$/);
  });

  it('does not repeat a POST after a 500 (it may have been applied), unless allowed', async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? text(res, 500, 'oops') : json(res, 201, { id: 'n1' }),
    );
    const first = testClient(server);
    client = first.client;
    const refused = await client.send({ endpoint: '/items', method: 'POST', body: { name: 'a' } });
    expect(refused).toMatchObject({ ok: false, status: 500, attempts: 1 });
    await client.close();

    const second = testClient(server, { retry: { retryUnsafeMethods: true } });
    client = second.client;
    const retried = await client.send({ endpoint: '/items', method: 'POST', body: { name: 'a' } });
    expect(retried).toMatchObject({ ok: true, status: 201, body: { id: 'n1' } });
  });

  it('repeats a POST or PATCH after a 5xx when the caller marks it repeatable', async () => {
    server = await startServer((req, res, i) =>
      i % 2 === 0 ? text(res, 503, 'busy') : json(res, 200, { method: req.method }),
    );
    const made = testClient(server);
    client = made.client;
    for (const method of ['POST', 'PATCH']) {
      const result = await client.send({ endpoint: '/items', method, body: { a: 1 }, repeatable: true });
      expect(result).toMatchObject({ ok: true, attempts: 2, body: { method } });
    }
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'POST', 'PATCH', 'PATCH']);
  });

  it('repeats a create (when-answered) after a 500 or 503, never after a gateway error or a cut connection', async () => {
    // 500 then 201: the server said it failed, so the create is sent again.
    server = await startServer((_req, res, i) =>
      i === 0 ? text(res, 500, 'oops') : json(res, 201, { id: 'n1' }),
    );
    let made = testClient(server);
    client = made.client;
    const create = () =>
      client!.send({ endpoint: '/items', method: 'POST', body: { a: 1 }, repeatable: 'when-answered' });
    expect(await create()).toMatchObject({ ok: true, attempts: 2, body: { id: 'n1' } });
    await client.close();
    await server.close();

    // A gateway's 504 and 502: the server behind it may have made the object.
    for (const status of [504, 502]) {
      server = await startServer((_req, res) => text(res, status, 'gateway'));
      made = testClient(server);
      client = made.client;
      expect(await create()).toMatchObject({ ok: false, status, attempts: 1 });
      expect(server.seen).toHaveLength(1);
      await client.close();
      await server.close();
    }

    // The request arrived and the connection broke before any answer: it may have landed.
    server = await startServer((_req, res) => {
      res.socket?.destroy();
    });
    made = testClient(server);
    client = made.client;
    const cut = await create();
    expect(cut).toMatchObject({ ok: false, kind: 'network', attempts: 1, afterSending: true });
    expect(server.seen).toHaveLength(1);
    // A PUT so cut is sent again: twice leaves the same result.
    const put = await client.send({ endpoint: '/items/1', method: 'PUT', body: { a: 1 } });
    expect(put).toMatchObject({ ok: false, afterSending: true });
    expect(server.seen.length).toBeGreaterThan(2);
  });

  it('retries a refused connection and reports it as a network failure', async () => {
    const port = await freePort();
    const waits: number[] = [];
    client = createHttpClient({
      baseUrl: `http://127.0.0.1:${port}`,
      urlPolicy: { allowPrivateNetworks: true },
      retry: { maxAttempts: 3 },
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    });
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: false, kind: 'network', attempts: 3 });
    expect(!result.ok && result.reason).toBe(
      `GET http://127.0.0.1:${port}/items failed after 3 attempts: the connection was refused (ECONNREFUSED).`,
    );
    expect(waits).toEqual([250, 500]);
  });

  it('times out when the server does not answer, with the limit in the reason', async () => {
    server = await startServer(() => {
      // Never answers; the server closes the socket when the test ends.
    });
    const made = testClient(server, { timeoutMs: 200, retry: { maxAttempts: 2 } });
    client = made.client;
    const result = await client.send({ endpoint: '/slow' });
    expect(result).toMatchObject({ ok: false, kind: 'timeout', attempts: 2 });
    expect(!result.ok && result.reason).toBe(
      `GET ${server.origin}/slow failed after 2 attempts: no answer within 0.2 s.`,
    );
  });

  it('reports each retry as an event for the run log', async () => {
    const events: unknown[] = [];
    server = await startServer((_req, res, i) =>
      i === 0 ? text(res, 502, 'bad gateway') : json(res, 200, {}),
    );
    const made = testClient(server, { onEvent: (event) => events.push(event), retry: { baseDelayMs: 10 } });
    client = made.client;
    await client.send({ endpoint: '/x' });
    expect(events).toEqual([
      { type: 'retry', request: `GET ${server.origin}/x`, attempt: 1, waitMs: 10, reason: '502 Bad Gateway' },
    ]);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}
