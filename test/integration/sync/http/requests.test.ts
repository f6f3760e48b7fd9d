// Building requests and reading responses against a real server: templated endpoints, merged query
// parameters, JSON bodies, redirects, and JSON / XML / text / empty / broken answers.
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpClient } from '@/server/sync/http';
import { json, startServer, testClient, text, type TestServer } from './server';

let server: TestServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

async function serve(
  handler: Parameters<typeof startServer>[0],
  options: Parameters<typeof testClient>[1] = {},
) {
  server = await startServer(handler);
  client = testClient(server, options).client;
  return { server, client };
}

describe('building requests', () => {
  it('joins base path and templated endpoint, URL-encoding the values', async () => {
    const { server, client } = await serve((_req, res) => json(res, 200, {}), { baseUrl: undefined });
    const scoped = testClient(server, { baseUrl: `${server.origin}/api/v1/` }).client;
    await scoped.send({
      endpoint: '/orgs/{{org.slug}}/items/{{ id }}',
      record: { id: 'a/b c?', org: { slug: 'acme' } },
    });
    await Promise.all([scoped.close(), client.close()]);
    expect(server.seen[0]?.url).toBe('/api/v1/orgs/acme/items/a%2Fb%20c%3F');
  });

  it('refuses to send when a placeholder has no value, saying which', async () => {
    const { server, client } = await serve((_req, res) => json(res, 200, {}));
    const result = await client.send({ endpoint: '/items/{{id}}', record: { name: 'x' } });
    expect(result).toEqual({
      ok: false,
      kind: 'invalid-request',
      attempts: 0,
      reason:
        'The GET request was not sent: The endpoint "/items/{{id}}" needs "id", which the object does not have as text or a number.',
    });
    expect(server.seen).toHaveLength(0);
  });

  it('keeps the query of a next link, adds configured defaults, and lets request parameters win', async () => {
    const { server, client } = await serve((_req, res) => json(res, 200, []), {
      query: { limit: 50, page: 1 },
    });
    await client.fetch({ url: `${server.origin}/items?page=3&sort=name` });
    await client.send({ endpoint: '/items?sort=name', query: { page: 7 } });
    expect(server.seen.map((s) => s.url)).toEqual([
      '/items?page=3&sort=name&limit=50',
      '/items?sort=name&limit=50&page=7',
    ]);
  });

  it('sends method, headers and a JSON body', async () => {
    const { server, client } = await serve(
      (req, res) => json(res, 201, { id: 'n1', got: JSON.parse(req.body) as unknown }),
      {
        headers: { 'X-Tenant': 'acme' },
      },
    );
    const result = await client.send({
      endpoint: '/items',
      method: 'post',
      headers: { 'X-Trace': 't1' },
      body: { name: 'Kettle' },
    });
    expect(result).toMatchObject({ ok: true, status: 201, body: { id: 'n1', got: { name: 'Kettle' } } });
    expect(server.seen[0]).toMatchObject({ method: 'POST', body: '{"name":"Kettle"}' });
    expect(server.seen[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-tenant': 'acme',
      'x-trace': 't1',
    });
  });

  it('follows a redirect and reports the final URL', async () => {
    const { server, client } = await serve((req, res) =>
      req.url === '/old' ? text(res, 301, '', { location: '/new?x=1' }) : json(res, 200, { here: true }),
    );
    const result = await client.send({ endpoint: '/old' });
    expect(result).toMatchObject({ ok: true, body: { here: true }, url: `${server.origin}/new?x=1` });
  });

  it('stops following an endless redirect loop', async () => {
    const { server, client } = await serve((_req, res) => text(res, 302, '', { location: '/again' }));
    const result = await client.send({ endpoint: '/again' });
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(server.seen).toHaveLength(6);
  });
});

describe('reading responses', () => {
  it('returns status, lower-cased headers, raw text and parsed JSON', async () => {
    const { client } = await serve((_req, res) =>
      json(res, 200, { data: [1] }, { 'X-Total-Count': '1', Link: '<x>; rel="next"' }),
    );
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      statusText: 'OK',
      format: 'json',
      body: { data: [1] },
      text: '{"data":[1]}',
    });
    expect(result.ok && result.headers).toMatchObject({ 'x-total-count': '1', link: '<x>; rel="next"' });
  });

  it('parses an XML answer with attributes and text', async () => {
    const xml = '<?xml version="1.0"?><items><item id="1">Kettle</item><item id="2">Mug</item></items>';
    const { client } = await serve((_req, res) =>
      text(res, 200, xml, { 'content-type': 'application/xml; charset=utf-8' }),
    );
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({
      ok: true,
      format: 'xml',
      body: {
        items: {
          item: [
            { '@attributes': { id: '1' }, '#text': 'Kettle' },
            { '@attributes': { id: '2' }, '#text': 'Mug' },
          ],
        },
      },
    });
  });

  it('recognises JSON and XML without a content type, and leaves HTML as text', async () => {
    const bodies: Record<string, [string, Record<string, string>]> = {
      '/json': [' [{"id":1}]', {}],
      '/xml': ['<a><b>1</b></a>', { 'content-type': 'text/plain' }],
      '/html': ['<html><body>hi</body></html>', { 'content-type': 'text/html' }],
    };
    const { client } = await serve((req, res) => {
      const [body, headers] = bodies[req.url] ?? ['', {}];
      text(res, 200, body, headers);
    });
    expect(await client.send({ endpoint: '/json' })).toMatchObject({ format: 'json', body: [{ id: 1 }] });
    expect(await client.send({ endpoint: '/xml' })).toMatchObject({ format: 'xml', body: { a: { b: '1' } } });
    expect(await client.send({ endpoint: '/html' })).toMatchObject({ format: 'text' });
  });

  it('reads the charset the server declares', async () => {
    const { client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=iso-8859-1' });
      res.end(Buffer.from([...Buffer.from('{"name":"Caf'), 0xe9, ...Buffer.from('"}')]));
    });
    expect(await client.send({ endpoint: '/x' })).toMatchObject({ ok: true, body: { name: 'Café' } });
  });

  it('fails a GET with an empty body (a listing must not look empty by accident)', async () => {
    const { server, client } = await serve((_req, res) =>
      text(res, 200, '', { 'content-type': 'application/json' }),
    );
    const result = await client.send({ endpoint: '/items' });
    expect(result).toEqual({
      ok: false,
      kind: 'empty-body',
      status: 200,
      attempts: 1,
      reason: `GET ${server.origin}/items answered 200 OK with an empty body`,
      // Answered 2xx: what a write's caller needs to say the server took the request.
      unreadBody: { contentType: 'application/json', start: '' },
    });
  });

  it('accepts an empty answer to a DELETE', async () => {
    const { client } = await serve((_req, res) => text(res, 204, ''));
    expect(await client.send({ endpoint: '/items/1', method: 'DELETE' })).toMatchObject({
      ok: true,
      status: 204,
      format: 'empty',
      body: null,
    });
  });

  it('fails garbage that claims to be JSON, quoting its start', async () => {
    const { server, client } = await serve((_req, res) =>
      text(res, 200, '{"items": [1, 2', { 'content-type': 'application/json' }),
    );
    const result = await client.send({ endpoint: '/items' });
    expect(result).toMatchObject({ ok: false, kind: 'unparseable', status: 200 });
    expect(!result.ok && result.reason).toMatch(
      new RegExp(
        `^GET ${server.origin}/items answered 200 OK with a body that is not valid JSON \\(.+\\): \\{"items": \\[1, 2$`,
      ),
    );
  });

  it('fails broken XML with the line where it breaks', async () => {
    const { client } = await serve((_req, res) =>
      text(res, 200, '<items>\n<item>\n</items>', { 'content-type': 'text/xml' }),
    );
    const result = await client.send({ endpoint: '/items' });
    expect(!result.ok && result.reason).toMatch(/not valid XML \(Invalid XML at line 3/);
  });

  it('refuses an answer larger than the limit', async () => {
    const { client } = await serve((_req, res) => json(res, 200, { blob: 'x'.repeat(5000) }), {
      maxResponseBytes: 1000,
    });
    expect(await client.send({ endpoint: '/big' })).toMatchObject({
      ok: false,
      kind: 'too-large',
      attempts: 1,
    });
  });
});

describe('an answer left unread (fetchUnread)', () => {
  it('holds the bytes as they came, and reads into what fetch answers', async () => {
    const { server, client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=iso-8859-1' });
      res.end(Buffer.from([...Buffer.from('{"name":"Caf'), 0xe9, ...Buffer.from('"}')]));
    });
    const unread = await client.fetchUnread({ url: `${server.origin}/x` });
    expect(unread).toMatchObject({ ok: true, status: 200 });
    if (!unread.ok) return;
    expect(Buffer.from(unread.bytes).toString('latin1')).toBe('{"name":"Café"}');
    expect('body' in unread).toBe(false);
    const fetched = await client.fetch({ url: `${server.origin}/x` });
    expect(unread.read()).toEqual(fetched);
    expect(fetched).toMatchObject({ ok: true, format: 'json', body: { name: 'Café' } });
  });

  it('is a success until read, and then the failure fetch answers for garbage', async () => {
    const { server, client } = await serve((_req, res) =>
      text(res, 200, '{"items": [1, 2', { 'content-type': 'application/json' }),
    );
    const unread = await client.fetchUnread({ url: `${server.origin}/items` });
    expect(unread.ok).toBe(true);
    const fetched = await client.fetch({ url: `${server.origin}/items` });
    expect(fetched).toMatchObject({ ok: false, kind: 'unparseable', status: 200 });
    expect(unread.ok && unread.read()).toEqual(fetched);
  });

  it('fails at once what no reading could make a success: a refused status', async () => {
    const { client, server } = await serve((_req, res) => json(res, 404, { message: 'No such list' }));
    const unread = await client.fetchUnread({ url: `${server.origin}/items` });
    expect(unread).toEqual(await client.fetch({ url: `${server.origin}/items` }));
    expect(unread).toMatchObject({ ok: false, kind: 'http', status: 404 });
  });
});
