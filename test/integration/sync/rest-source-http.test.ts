// The REST source against a scripted HTTP server, for what json-server cannot show: headers and
// credentials (and where they go), redirects with relative next links, XML, and secrets in reasons.
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { restSourceConfig } from '@/server/sync/config/source-config';
import { syncSourceConfigSchema, type SyncSourceConfigInput } from '@/server/sync/config/sync-config';
import { describeListingProblem } from '@/server/sync/core/pagination';
import { createRestSource } from '@/server/sync/sources/rest';
import type { SourcePort } from '@/server/sync/ports';
import { json, startServer, text, type TestServer } from './http/server';

const servers: TestServer[] = [];
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((source) => source.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Parameters<typeof startServer>[0]) {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

function source(
  config: z.input<typeof restSourceConfig>,
  endpoint: string,
  sync: SyncSourceConfigInput,
  secrets: Record<string, string> = {},
) {
  const made = createRestSource({
    systemId: 'src_http',
    source: restSourceConfig.parse(config),
    secrets,
    endpoint,
    sync: syncSourceConfigSchema.parse(sync),
    urlPolicy: { allowPrivateNetworks: true },
    http: { sleep: () => Promise.resolve(), retry: { maxAttempts: 1 } },
  });
  opened.push(made);
  return made;
}

async function drain(port: SourcePort) {
  const objects: unknown[] = [];
  const listing = port.pages(null);
  for (;;) {
    const next = await listing.next();
    if (next.done) return { objects, outcome: next.value };
    objects.push(...next.value.objects);
  }
}

describe('REST source over HTTP', () => {
  it('sends source then sync headers and the API key, but no secret-looking header to another origin', async () => {
    const other = await serve((_req, res) => json(res, 200, { items: [{ id: 2 }] }));
    const api = await serve((_req, res) =>
      json(res, 200, { items: [{ id: 1 }], next: `${other.origin}/more` }),
    );
    const port = source(
      {
        baseUrl: `${api.origin}/v1`,
        headers: { 'X-Tenant': 'source', 'X-Auth-Extra': 'extra-credential' },
        auth: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      'things',
      { headers: { 'X-Tenant': 'sync' } },
      { apiKey: 'key-123456' },
    );
    const { objects, outcome } = await drain(port);
    expect(outcome).toEqual({ complete: true, pages: 2 });
    expect(objects).toEqual([{ id: 1 }, { id: 2 }]);
    expect(api.seen[0]).toMatchObject({ url: '/v1/things' });
    expect(api.seen[0]?.headers).toMatchObject({
      'x-tenant': 'sync',
      'x-auth-extra': 'extra-credential',
      'x-api-key': 'key-123456',
    });
    expect(other.seen[0]?.headers['x-tenant']).toBe('sync');
    expect(other.seen[0]?.headers['x-auth-extra']).toBeUndefined();
    expect(other.seen[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('sends secret headers and query parameters to the API only, and keeps them out of the URLs it logs', async () => {
    const other = await serve((_req, res) => json(res, 200, { items: [{ id: 2 }] }));
    const api = await serve((_req, res) =>
      json(res, 200, { items: [{ id: 1 }], next: `${other.origin}/more` }),
    );
    const port = source(
      { baseUrl: `${api.origin}/v1`, query: { lang: 'nl' } },
      'things',
      {},
      { 'header:X-Tenant': 'tenant-secret-42', 'query:sig': 'signature-secret-43' },
    );
    const listing = port.pages(null);
    const first = await listing.next();
    const second = await listing.next();
    expect(api.seen[0]?.headers['x-tenant']).toBe('tenant-secret-42');
    expect(api.seen[0]?.url).toBe('/v1/things?lang=nl&sig=signature-secret-43');
    expect(other.seen[0]?.headers['x-tenant']).toBeUndefined();
    expect(other.seen[0]?.url).toBe('/more?lang=nl');
    // What the run keeps and shows (the page's URL, its cursor) never holds them.
    expect(JSON.stringify([first.value, second.value])).not.toMatch(/secret-4[23]/);
  });

  it('resolves a relative next link against the URL that answered after a redirect', async () => {
    const api = await serve((req, res) => {
      if (req.url.startsWith('/old')) return text(res, 302, '', { location: '/v2/list?q=1' });
      if (req.url.startsWith('/v2/list')) return json(res, 200, { items: [{ id: 1 }], next: 'page2' });
      if (req.url.startsWith('/v2/page2')) return json(res, 200, { items: [{ id: 2 }] });
      json(res, 404, { message: 'no such page' });
    });
    const { objects, outcome } = await drain(source({ baseUrl: api.origin }, '/old', {}));
    expect(outcome).toEqual({ complete: true, pages: 2 });
    expect(objects).toEqual([{ id: 1 }, { id: 2 }]);
    expect(api.seen.map((r) => r.url)).toEqual(['/old', '/v2/list?q=1', '/v2/page2']);
  });

  it('reads XML responses', async () => {
    const api = await serve((_req, res) =>
      text(
        res,
        200,
        '<catalog><item id="a1"><name>Anvil</name></item><item id="b2"><name>Bell</name></item></catalog>',
        { 'content-type': 'application/xml' },
      ),
    );
    const { objects, outcome } = await drain(
      source({ baseUrl: api.origin }, '/catalog.xml', {
        resultsPosition: 'catalog.item',
        pagination: { kind: 'none' },
      }),
    );
    expect(outcome).toEqual({ complete: true, pages: 1 });
    expect(objects).toMatchObject([
      { '@attributes': { id: 'a1' }, name: 'Anvil' },
      { '@attributes': { id: 'b2' }, name: 'Bell' },
    ]);
  });

  it('never shows a secret in the reason, even when the server echoes it', async () => {
    const api = await serve((req, res) => text(res, 401, `bad token ${req.headers.authorization ?? ''}`));
    const { outcome } = await drain(
      source({ baseUrl: api.origin, auth: { type: 'bearer' } }, '/items', {}, { token: 'tok-secret-987' }),
    );
    expect(outcome.complete).toBe(false);
    if (outcome.complete) return;
    const reason = describeListingProblem(outcome.problem);
    expect(reason).toContain('401 Unauthorized');
    expect(reason).not.toContain('tok-secret-987');
  });
});
