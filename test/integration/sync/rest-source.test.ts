// The REST source against json-server 0.17.4 as a real peer: every pagination style it speaks, and
// every failure (500, 429, empty body, garbage, missing results, page cap, loop) ending the listing
// incomplete with a reason. Sleeps are injected and recorded, never real.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restSourceConfig, type RestSourceConfig } from '@/server/sync/config/source-config';
import { syncSourceConfigSchema, type SyncSourceConfigInput } from '@/server/sync/config/sync-config';
import {
  describeListingProblem,
  problemSeverity,
  type ListingCursor,
  type Recall,
} from '@/server/sync/core/pagination';
import { createRestSource, type RestSourceOptions } from '@/server/sync/sources/rest';
import type { SourcePage, SourcePort } from '@/server/sync/ports';
import { startJsonServer, type JsonServer } from '../helpers/json-server';

const items = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  name: `item ${i + 1}`,
  group: (i + 1) % 2 ? 'odd' : 'even',
}));

let server: JsonServer;
let waits: number[] = [];
const opened: { close(): Promise<void> }[] = [];

// Two answers as json-server stores them: one that echoes a secret of the source, one that does not.
const SECRET = 'sekret-echoed-1234';
const echo = { items: items.slice(0, 3), links: { self: `https://api.example.test/?key=${SECRET}` } };
const plain = { items: items.slice(0, 3), meta: { note: 'nothing secret' } };

beforeAll(async () => {
  server = await startJsonServer({ items, echo, plain });
});
afterAll(() => server.stop());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((source) => source.close()));
  await server.clearFaults();
  waits = [];
});

function source(
  endpoint: string,
  sync: SyncSourceConfigInput,
  extra: Partial<RestSourceOptions> & { config?: Partial<RestSourceConfig> } = {},
) {
  const { config, ...rest } = extra;
  const made = createRestSource({
    systemId: 'src_json',
    source: restSourceConfig.parse({ baseUrl: server.url, ...config }),
    secrets: {},
    endpoint,
    sync: syncSourceConfigSchema.parse(sync),
    urlPolicy: { allowPrivateNetworks: true },
    http: {
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 1,
      retry: { baseDelayMs: 10 },
    },
    ...rest,
  });
  opened.push(made);
  return made;
}

async function drain(port: SourcePort<ListingCursor>, from: ListingCursor | null = null, recall?: Recall) {
  const pages: SourcePage<ListingCursor>[] = [];
  const listing = port.pages(from, undefined, recall);
  for (;;) {
    const next = await listing.next();
    if (next.done) return { pages, outcome: next.value, ids: pages.flatMap((p) => p.objects.map(idOf)) };
    pages.push(next.value);
  }
}

const idOf = (object: unknown) => (object as { id: number }).id;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('REST source paging through json-server', () => {
  it('follows the Link header, configured or detected', async () => {
    for (const kind of ['link-header', 'auto'] as const) {
      const { pages, outcome, ids } = await drain(
        source('/items?_page=1&_limit=10', { pagination: { kind } }),
      );
      expect(outcome).toEqual({ complete: true, pages: 3 });
      expect(ids).toEqual(range(1, 25));
      expect(pages.map((p) => new URL(p.url ?? '').searchParams.get('_page'))).toEqual(['1', '2', '3']);
    }
  });

  it('pages by number with a size parameter, keeping source and sync query parameters', async () => {
    const { pages, outcome, ids } = await drain(
      source(
        '/items',
        {
          pagination: { kind: 'page-number', param: '_page', sizeParam: '_limit', size: 10 },
          query: { _sort: 'id', _order: 'desc' },
        },
        { config: { query: { group: 'odd' } } },
      ),
    );
    // json-server filters by `group` and sorts by the sync's parameters on every page; X-Total-Count ends it.
    expect(outcome).toEqual({ complete: true, pages: 2 });
    expect(ids).toEqual(
      range(1, 25)
        .filter((id) => id % 2)
        .reverse(),
    );
    expect(pages[1]?.url).toContain('group=odd');
    expect(pages[1]?.url).toContain('_order=desc');
  });

  it('lets a parameter written in the endpoint win over the sync and source query', async () => {
    const { ids } = await drain(
      source('/items?group=even', { pagination: { kind: 'none' }, query: { group: 'odd' } }),
    );
    expect(ids).toEqual(range(1, 25).filter((id) => id % 2 === 0));
  });

  it('pages by offset, stopping at X-Total-Count', async () => {
    const { pages, outcome, ids } = await drain(
      source('/items', {
        pagination: { kind: 'offset', offsetParam: '_start', limitParam: '_limit', limit: 10 },
      }),
    );
    expect(outcome).toEqual({ complete: true, pages: 3 });
    expect(ids).toEqual(range(1, 25));
    expect(pages.map((p) => new URL(p.url ?? '').searchParams.get('_start'))).toEqual(['0', '10', '20']);
  });

  it('makes one request without pagination', async () => {
    const { pages, outcome, ids } = await drain(source('/items', { pagination: { kind: 'none' } }));
    expect(outcome).toEqual({ complete: true, pages: 1 });
    expect(pages).toHaveLength(1);
    expect(ids).toEqual(range(1, 25));
  });

  it('resumes from a cursor a step returned, as plain JSON', async () => {
    const first = await source('/items?_page=1&_limit=10', { pagination: { kind: 'link-header' } })
      .pages(null)
      .next();
    expect(first.done).toBe(false);
    const then = first.done ? undefined : first.value.then;
    if (then?.kind !== 'next') throw new Error('expected a next page');
    const cursor = JSON.parse(JSON.stringify(then.cursor)) as ListingCursor;
    const { pages, outcome, ids } = await drain(
      source('/items?_page=1&_limit=10', { pagination: { kind: 'link-header' } }),
      cursor,
    );
    expect(pages.map((p) => p.number)).toEqual([2, 3]);
    expect(ids).toEqual(range(11, 25));
    expect(outcome).toEqual({ complete: true, pages: 3 });
  });
});

describe("what the listing keeps of an answer for the page's memo", () => {
  it('is the answer with its objects emptied — unless the answer echoes one of the source’s secrets', async () => {
    const read = async (endpoint: string) => {
      const port = source(
        endpoint,
        { resultsPosition: 'items', pagination: { kind: 'none' } },
        {
          secrets: { token: SECRET },
        },
      );
      // As a run that remembers its pages lists them, its memos not knowing these answers yet.
      return (await drain(port, null, () => Promise.resolve(null))).pages[0];
    };
    expect((await read('/plain'))?.answer).toEqual({
      skeleton: { items: [], meta: { note: 'nothing secret' } },
      count: 3,
      fingerprint: expect.any(String) as string,
    });
    const echoed = await read('/echo');
    expect(echoed?.objects).toHaveLength(3);
    expect(echoed?.answer).toBeUndefined();
  });
});

describe('REST source failures end the listing incomplete', () => {
  const linkPages = { pagination: { kind: 'link-header' as const } };

  it('a 500 on page 3 after the retries', async () => {
    await server.faults([{ path: '/items', page: 3, status: 500, body: { error: 'database down' } }]);
    const { pages, outcome } = await drain(source('/items?_page=1&_limit=10', linkPages));
    expect(pages.map((p) => p.number)).toEqual([1, 2]);
    expect(outcome.complete).toBe(false);
    if (outcome.complete) return;
    expect(outcome.problem).toMatchObject({ kind: 'transport', page: 3 });
    const reason = describeListingProblem(outcome.problem);
    expect(reason).toMatch(/^Page 3 could not be fetched: GET http:\/\/127\.0\.0\.1:\d+\/items\?/);
    expect(reason).toContain('_page=3');
    expect(reason).toContain('500 Internal Server Error after 4 attempts');
    expect(reason).toContain('database down');
    expect(waits).toHaveLength(3);
  });

  it('waits as long as Retry-After says on a 429, then continues', async () => {
    await server.faults([
      { path: '/items', page: 2, status: 429, headers: { 'retry-after': '3' }, times: 1 },
    ]);
    const { outcome, ids } = await drain(source('/items?_page=1&_limit=10', linkPages));
    expect(outcome).toEqual({ complete: true, pages: 3 });
    expect(ids).toEqual(range(1, 25));
    expect(waits).toEqual([3000]);
  });

  it('a 429 that does not go away', async () => {
    await server.faults([{ path: '/items', page: 2, status: 429, headers: { 'retry-after': '2' } }]);
    const { pages, outcome } = await drain(source('/items?_page=1&_limit=10', linkPages));
    expect(pages).toHaveLength(1);
    expect(outcome.complete).toBe(false);
    if (outcome.complete) return;
    expect(describeListingProblem(outcome.problem)).toContain(
      'answered 429 Too Many Requests after 4 attempts',
    );
    expect(waits).toEqual([2000, 2000, 2000]);
  });

  it.each([
    ['an empty body', { status: 200 }, 'answered 200 OK with an empty body'],
    [
      'garbage JSON',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"items": [1, 2' },
      'a body that is not valid JSON',
    ],
  ])('%s', async (_name, fault, expected) => {
    await server.faults([{ path: '/items', ...fault }]);
    const { pages, outcome } = await drain(source('/items', { pagination: { kind: 'none' } }));
    expect(pages).toHaveLength(0);
    expect(outcome).toMatchObject({ complete: false, pages: 0, problem: { kind: 'transport', page: 1 } });
    if (outcome.complete) return;
    expect(describeListingProblem(outcome.problem)).toContain(expected);
  });

  it('a results position the response does not have', async () => {
    const { pages, outcome } = await drain(
      source('/items', { pagination: { kind: 'none' }, resultsPosition: 'data.items' }),
    );
    expect(pages).toHaveLength(0);
    expect(outcome).toMatchObject({ complete: false, problem: { kind: 'results', problem: 'missing-path' } });
    if (outcome.complete) return;
    expect(describeListingProblem(outcome.problem)).toContain('no "data.items" (the results position)');
  });

  it('the page cap, as a warning', async () => {
    const { pages, outcome } = await drain(source('/items?_page=1&_limit=5', { ...linkPages, maxPages: 2 }));
    expect(pages).toHaveLength(2);
    expect(outcome).toMatchObject({ complete: false, pages: 2, problem: { kind: 'page-cap', maxPages: 2 } });
    if (outcome.complete) return;
    expect(problemSeverity(outcome.problem)).toBe('warning');
  });

  it('a next link back to a page already fetched', async () => {
    const json = { 'content-type': 'application/json' };
    await server.faults([
      {
        path: '/loop',
        page: 1,
        status: 200,
        headers: json,
        body: { items: [{ id: 1 }], next: '/loop?_page=2' },
      },
      {
        path: '/loop',
        page: 2,
        status: 200,
        headers: json,
        body: { items: [{ id: 2 }], next: 'loop?_page=1' },
      },
    ]);
    const { ids, outcome } = await drain(source('/loop?_page=1', { pagination: { kind: 'auto' } }));
    expect(ids).toEqual([1, 2]);
    expect(outcome).toMatchObject({ complete: false, pages: 2, problem: { kind: 'loop', page: 2 } });
    if (outcome.complete) return;
    expect(problemSeverity(outcome.problem)).toBe('warning');
  });

  it('refuses 127.0.0.1 under the default policy without calling it', async () => {
    await server.faults([{ path: '/items', status: 418, times: 1 }]);
    const { pages, outcome } = await drain(
      source('/items', { pagination: { kind: 'none' } }, { urlPolicy: { allowPrivateNetworks: false } }),
    );
    expect(pages).toHaveLength(0);
    expect(outcome.complete).toBe(false);
    if (outcome.complete) return;
    expect(describeListingProblem(outcome.problem)).toContain(
      '127.0.0.1, a loopback address; calls into private networks are not allowed for this source',
    );
    // The armed fault would have fired on any request that reached the server.
    const armed = (await (await fetch(`${server.url}/__faults`)).json()) as { times: number }[];
    expect(armed[0]?.times).toBe(1);
  });

  it('a missing secret, named', async () => {
    const { pages, outcome } = await drain(
      source('/items', { pagination: { kind: 'none' } }, { config: { auth: { type: 'bearer' } } }),
    );
    expect(pages).toHaveLength(0);
    expect(outcome.complete).toBe(false);
    if (outcome.complete) return;
    expect(describeListingProblem(outcome.problem)).toContain('secret "token" is not set');
  });
});
