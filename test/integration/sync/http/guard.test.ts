// The URL guard under both policies: a fake resolver plays every kind of internal address, a real
// server on 127.0.0.1 shows that the refusal happens before anything is sent, and a resolver that
// changes its answer shows that DNS rebinding is caught when the socket connects.
import { afterEach, describe, expect, it } from 'vitest';
import { checkUrl, createHttpClient, type HttpClient, type ResolveHost } from '@/server/sync/http';
import { json, startServer, type TestServer } from './server';

const deny = { allowPrivateNetworks: false };
const allow = { allowPrivateNetworks: true };
const resolvesTo =
  (...addresses: string[]): ResolveHost =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

let server: TestServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

describe('checkUrl', () => {
  it.each([
    ['10.1.2.3', 'a private network address'],
    ['172.20.0.5', 'a private network address'],
    ['192.168.1.10', 'a private network address'],
    ['127.0.0.1', 'a loopback address'],
    ['169.254.10.20', 'a link-local address'],
    ['100.100.100.200', 'a shared (carrier-grade NAT) address'],
    ['224.0.0.251', 'a multicast address'],
    ['0.0.0.0', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['fd12:3456::1', 'a private network address'],
    ['fe80::1', 'a link-local address'],
    ['::ffff:10.0.0.1', 'a private network address'],
    ['64:ff9b::7f00:1', 'a loopback address'],
  ])('refuses a host resolving to %s unless private networks are allowed', async (address, why) => {
    const resolve = resolvesTo('93.184.216.34', address);
    const refused = await checkUrl('https://api.example.test/items', deny, resolve);
    expect(refused).toEqual({
      ok: false,
      reason: `api.example.test resolves to ${address}, ${why}; calls into private networks are not allowed for this source.`,
    });
    expect((await checkUrl('https://api.example.test/items', allow, resolve)).ok).toBe(true);
  });

  it('accepts a public address under the strict policy', async () => {
    const result = await checkUrl(
      'https://api.example.test/v1',
      deny,
      resolvesTo('93.184.216.34', '2606:2800:220:1::'),
    );
    expect(result).toMatchObject({
      ok: true,
      addresses: [{ address: '93.184.216.34' }, { address: '2606:2800:220:1::' }],
    });
  });

  it('never calls the cloud metadata service, whatever the policy', async () => {
    for (const policy of [deny, allow]) {
      const result = await checkUrl('http://169.254.169.254/latest/meta-data/', policy);
      expect(result).toEqual({
        ok: false,
        reason: '169.254.169.254, the cloud metadata service, which is never called.',
      });
    }
  });

  it('judges IP literals in any spelling without asking DNS', async () => {
    const noDns: ResolveHost = () => Promise.reject(new Error('DNS must not be asked'));
    for (const url of [
      'http://127.0.0.1/',
      'http://0x7f.1/',
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      expect(await checkUrl(url, deny, noDns)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/loopback/) as unknown,
      });
    }
  });

  it('refuses other schemes and credentials in the URL', async () => {
    expect(await checkUrl('ftp://files.example.test/x', allow)).toEqual({
      ok: false,
      reason: 'Only http and https URLs can be called, not ftp.',
    });
    expect(
      await checkUrl('https://ann:secret@api.example.test/', allow, resolvesTo('93.184.216.34')),
    ).toEqual({
      ok: false,
      reason: 'The URL contains a user name or password; configure them as authentication instead.',
    });
    expect(await checkUrl('not a url', allow)).toMatchObject({ ok: false });
  });

  it('reports a host that does not resolve', async () => {
    const failing: ResolveHost = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect(await checkUrl('https://nowhere.example.test/', deny, failing)).toEqual({
      ok: false,
      reason: 'The host nowhere.example.test could not be resolved (ENOTFOUND).',
    });
  });

  it('checks a real 127.0.0.1 address under both policies', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    expect(await checkUrl(`${server.origin}/`, deny)).toMatchObject({ ok: false });
    expect(await checkUrl(`${server.origin}/`, allow)).toMatchObject({ ok: true });
    // localhost goes through the system resolver.
    expect(await checkUrl(`http://localhost:${server.port}/`, deny)).toMatchObject({ ok: false });
  });
});

describe('the client behind the guard', () => {
  it('does not send anything to a private address under the strict policy', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    client = createHttpClient({ baseUrl: server.origin, urlPolicy: deny });
    const result = await client.send({ endpoint: '/items' });
    expect(result).toEqual({
      ok: false,
      kind: 'blocked',
      attempts: 0,
      reason: `GET ${server.origin}/items was not sent: 127.0.0.1, a loopback address; calls into private networks are not allowed for this source.`,
    });
    expect(server.seen).toHaveLength(0);
  });

  it('calls the same server when private networks are allowed, by name through the injected resolver', async () => {
    server = await startServer((_req, res) => json(res, 200, { reached: true }));
    client = createHttpClient({
      baseUrl: `http://inside.example.test:${server.port}`,
      urlPolicy: allow,
      resolve: resolvesTo('127.0.0.1'),
    });
    expect(await client.send({ endpoint: '/items' })).toMatchObject({ ok: true, body: { reached: true } });
  });

  it('catches DNS rebinding: a public answer at check time, a loopback one at connect time', async () => {
    server = await startServer((_req, res) => json(res, 200, { reached: true }));
    let lookups = 0;
    const rebinding: ResolveHost = () =>
      Promise.resolve([{ address: lookups++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]);
    client = createHttpClient({
      baseUrl: `http://rebind.example.test:${server.port}`,
      urlPolicy: deny,
      resolve: rebinding,
      retry: { maxAttempts: 1 },
    });
    const result = await client.send({ endpoint: '/items' });
    expect(lookups).toBe(2);
    expect(result).toMatchObject({ ok: false, kind: 'blocked' });
    expect(!result.ok && result.reason).toBe(
      `GET http://rebind.example.test:${server.port}/items was not sent: rebind.example.test resolves to ` +
        '127.0.0.1, a loopback address; calls into private networks are not allowed for this source.',
    );
    expect(server.seen).toHaveLength(0);
  });
});
