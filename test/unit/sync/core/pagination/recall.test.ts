// The listing's recall (pagination/answer-facts.ts, page-content.ts): a page whose answer the memo knows
// by its digest is not parsed, and the listing goes on exactly as it would have after parsing it — the
// same next request, the same total, the same end — for every strategy, configured and detected.
import { describe, expect, it } from 'vitest';
import {
  listingConfigSchema,
  listPages,
  type ListedPage,
  type ListingConfigInput,
  type PageFetch,
  type Recall,
  type RecalledAnswer,
  type UnreadResponse,
} from '@/server/sync/core/pagination';
import { json, recordedFetch, sequenceFetch } from '../helpers/recorded';

const api = 'https://api.example.test';

/** The scripted answers as a REST source gives them: unread, with a digest of the body and URL. */
function unread(fetch: PageFetch, counts: { reads: number }): PageFetch {
  return async (request) => {
    const answer = await fetch(request);
    if ('error' in answer || 'read' in answer) return answer;
    const response: UnreadResponse = {
      status: answer.status,
      headers: answer.headers,
      digest: () => JSON.stringify([request.url, answer.body]),
      read: () => {
        counts.reads += 1;
        return { ok: true, body: answer.body };
      },
    };
    return response;
  };
}

async function list(config: ListingConfigInput, fetch: PageFetch, recall?: Recall) {
  const pages: ListedPage[] = [];
  const listing = listPages(listingConfigSchema.parse(config), fetch, undefined, recall);
  for (;;) {
    const next = await listing.next();
    if (next.done) return { pages, outcome: next.value };
    pages.push(next.value);
  }
}

/** What a person or the next step sees of a page: where it was, what follows, the total, its size. */
const seen = (page: ListedPage) => ({
  number: page.number,
  url: page.url,
  then: page.then,
  total: page.total,
  count: page.recalled ? page.recalled.ids.length : page.objects.length,
});

/** A recall whose memos know no answer yet. */
const nothing: Recall = () => Promise.resolve(null);

/** Lists once as a first run does, remembering each page's facts, then again with them recalled. */
async function twice(config: ListingConfigInput, script: () => PageFetch) {
  const first = { reads: 0 };
  // A first run's listing: it recalls, and its memos know nothing yet.
  const read = await list(config, unread(script(), first), nothing);
  const memo = new Map<string, RecalledAnswer>();
  for (const page of read.pages) {
    if (!page.answer || !page.digest) continue;
    const ids = page.objects.map((_o, i) => `${page.number}-${i}`);
    memo.set(`${page.number} ${page.digest.value()}`, { ...page.answer, ids });
  }
  const again = { reads: 0 };
  const recall: Recall = (number, digest) => Promise.resolve(memo.get(`${number} ${digest}`) ?? null);
  const recalled = await list(config, unread(script(), again), recall);
  return { read, recalled, first, again, remembered: memo.size };
}

const scenarios: [string, ListingConfigInput, () => PageFetch][] = [
  [
    'a Link header',
    {
      url: 'http://127.0.0.1:38411/posts?_page=1&_limit=2&author_ne=zed',
      pagination: { kind: 'link-header' },
    },
    () => recordedFetch('json-server-link-header').fetch,
  ],
  [
    'a Link header, detected',
    { url: 'http://127.0.0.1:38411/posts?_page=1&_limit=2&author_ne=zed' },
    () => recordedFetch('json-server-link-header').fetch,
  ],
  [
    'offsets to X-Total-Count',
    {
      url: 'http://127.0.0.1:38411/posts',
      pagination: { kind: 'offset', offsetParam: '_start', limitParam: '_limit', limit: 2 },
    },
    () => recordedFetch('json-server-offset').fetch,
  ],
  ['a next link in the body, detected', { url: `${api}/drf/items/` }, () => recordedFetch('drf-next').fetch],
  [
    'a relative next link at a configured path',
    {
      url: `${api}/v1/zaken?apikey=k1&status=open`,
      pagination: { kind: 'next-link', path: '_links.next.href' },
    },
    () => recordedFetch('hal-relative-next').fetch,
  ],
  [
    'page numbers to last_page',
    { url: `${api}/laravel/products`, pagination: { kind: 'page-number', param: 'page' } },
    () => recordedFetch('laravel-page-number').fetch,
  ],
  [
    'page numbers, detected',
    { url: `${api}/laravel/products?page=1` },
    () => recordedFetch('laravel-page-number').fetch,
  ],
  [
    'page numbers to a total in the body',
    {
      url: `${api}/x`,
      pagination: { kind: 'page-number', param: 'pg', start: 0, sizeParam: 'size', size: 2 },
    },
    () =>
      sequenceFetch([
        json({ items: [{ id: 1 }, { id: 2 }], total: 3 }),
        json({ items: [{ id: 3 }], total: 3 }),
      ]).fetch,
  ],
  [
    'offsets to a total in the body',
    { url: `${api}/x`, pagination: { kind: 'offset', limit: 2, totalPath: 'meta.count' } },
    () =>
      sequenceFetch([
        json({ data: [{ id: 1 }, { id: 2 }], meta: { count: 3 } }),
        json({ data: [{ id: 3 }], meta: { count: 3 } }),
      ]).fetch,
  ],
  [
    'a cursor token',
    {
      url: `${api}/slack/users.list?limit=2`,
      resultsPosition: 'members',
      pagination: { kind: 'cursor', tokenPath: 'response_metadata.next_cursor', param: 'cursor' },
    },
    () => recordedFetch('slack-cursor').fetch,
  ],
  [
    'a cursor token, detected',
    { url: `${api}/slack/users.list?limit=2`, resultsPosition: 'members' },
    () => recordedFetch('slack-cursor').fetch,
  ],
  [
    'a list under hits.hits, its total beside it',
    { url: `${api}/search`, pagination: { kind: 'offset', limit: 2 } },
    () =>
      sequenceFetch([
        json({ hits: { total: { value: 3 }, hits: [{ id: 1 }, { id: 2 }] } }),
        json({ hits: { total: { value: 3 }, hits: [{ id: 3 }] } }),
      ]).fetch,
  ],
];

describe('a recalled page', () => {
  it.each(scenarios)('leads the listing on as its parsed answer did: %s', async (_name, config, script) => {
    const { read, recalled, first, again, remembered } = await twice(config, script);
    expect(read.outcome.complete).toBe(true);
    expect(remembered).toBe(read.pages.length);
    expect(first.reads).toBe(read.pages.length);
    // Not one answer parsed the second time, and the listing the same in everything but that.
    expect(again.reads).toBe(0);
    expect(recalled.outcome).toEqual(read.outcome);
    expect(recalled.pages.map(seen)).toEqual(read.pages.map(seen));
    expect(recalled.pages.every((page) => page.recalled && !page.answer && !page.digest)).toBe(true);
  });

  it('reads its body only when its objects are asked for, once, and gives the same objects', async () => {
    const config = { url: `${api}/laravel/products`, pagination: { kind: 'page-number' as const } };
    const { read, recalled, again } = await twice(config, () => recordedFetch('laravel-page-number').fetch);
    const page = recalled.pages[0]!;
    expect(again.reads).toBe(0);
    expect(page.objects).toEqual(read.pages[0]!.objects);
    expect(page.objects).toBe(page.objects);
    expect(again.reads).toBe(1);
  });

  it('is a fault, not a page, when its body then reads otherwise than its memo said', async () => {
    const config = { url: `${api}/x`, pagination: { kind: 'none' as const } };
    const facts: RecalledAnswer = {
      skeleton: { items: [] },
      count: 1,
      fingerprint: 'not this one',
      ids: ['1'],
    };
    const counts = { reads: 0 };
    const { pages } = await list(
      config,
      unread(sequenceFetch([json({ items: [{ id: 1 }] })]).fetch, counts),
      () => Promise.resolve(facts),
    );
    expect(() => pages[0]!.objects).toThrow(/no longer reads as when its memo was kept: other objects/);
  });
});

describe("an answer's facts", () => {
  // `recall` null: a listing that does not recall (another kind of run, a source's test).
  const facts = async (config: ListingConfigInput, body: unknown, recall: Recall | null = nothing) =>
    (await list(config, unread(sequenceFetch([json(body)]).fetch, { reads: 0 }), recall ?? undefined))
      .pages[0]?.answer;

  it('are the body with its list emptied, the count and the fingerprint', async () => {
    const body = { meta: { total: 2 }, data: [{ id: 1 }, { id: 2 }], links: { next: null } };
    expect(await facts({ url: `${api}/x`, pagination: { kind: 'none' } }, body)).toEqual({
      skeleton: { meta: { total: 2 }, data: [], links: { next: null } },
      count: 2,
      fingerprint: expect.any(String) as string,
    });
    expect(body.data).toHaveLength(2);
  });

  it('are taken only by a listing that recalls (a run that remembers them)', async () => {
    const body = { data: [{ id: 1 }] };
    expect(await facts({ url: `${api}/x`, pagination: { kind: 'none' } }, body)).toBeDefined();
    expect(await facts({ url: `${api}/x`, pagination: { kind: 'none' } }, body, null)).toBeUndefined();
  });

  it('are not taken when the skeleton could answer otherwise than the body', async () => {
    // One object, not a list in the body.
    expect(await facts({ url: `${api}/x`, resultsPosition: '_object' }, { id: 1 })).toBeUndefined();
    expect(await facts({ url: `${api}/x`, resultsPosition: '_root' }, { id: 1 })).toBeUndefined();
    // XML's single element, taken as a list of one.
    expect(
      await facts({ url: `${api}/x`, resultsPosition: 'items.item' }, { items: { item: { id: 1 } } }),
    ).toBeUndefined();
    // A configured path that indexes into a list, and a results position that does.
    const indexed = { url: `${api}/x`, pagination: { kind: 'next-link' as const, path: 'items.0.next' } };
    expect(await facts(indexed, { items: [{ id: 1, next: null }] })).toBeUndefined();
    const nested = { url: `${api}/x`, resultsPosition: 'pages[0].items' };
    expect(await facts(nested, { pages: [{ items: [{ id: 1 }] }] })).toBeUndefined();
  });
});
