// A source that sends one byte every 100 ms never trips the idle timeout; the deadline on the whole
// answer cuts it off, names itself in the reason, and is retried once at most (issue 9).
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '@/server/sync/http';
import { startTrickleServer, type TrickleServer } from '../../helpers/trickle-server';

let server: TrickleServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

function clientFor(url: string, deadlineMs: number) {
  return createHttpClient({
    baseUrl: url,
    urlPolicy: { allowPrivateNetworks: true },
    timeoutMs: 30_000,
    deadlineMs,
    retry: { maxAttempts: 4 },
    sleep: () => Promise.resolve(),
  });
}

describe('the deadline per request', () => {
  it('cuts off an answer that trickles in, naming the deadline, after two attempts of four', async () => {
    server = await startTrickleServer(100);
    client = clientFor(server.url, 600);
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: false, kind: 'timeout', attempts: 2 });
    expect(!result.ok && result.reason).toBe(
      `GET ${server.url}/items failed after 2 attempts: ` +
        'the whole answer did not arrive within 0.6 s (the deadline per request).',
    );
    expect(server.requests).toEqual(['/items', '/items']);
  });

  it('is 60 s unless the source says otherwise', async () => {
    const { restSourceConfig } = await import('@/server/sync/config/source-config');
    expect(restSourceConfig.parse({ baseUrl: 'https://api.example.test' }).deadlineMs).toBe(60_000);
  });
});
