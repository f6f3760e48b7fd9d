import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_PAGES,
  describeListingProblem,
  listingConfigSchema,
  listPages,
  parseLinkHeader,
  type ListingCursor,
  type PageFetch,
} from '@/server/sync/core/pagination';
import { json, recordedFetch, sequenceFetch } from '../helpers/recorded';
import { collect } from './collect';

const api = 'https://api.example.test';

describe('a failed page ends the listing incomplete and is never yielded as an empty page', () => {
  const cases = [
    [
      'a 500',
      json({ message: 'Database unavailable' }, {}, 500),
      { kind: 'http-status', status: 500, detail: 'Database unavailable' },
    ],
    [
      'a 429',
      json({ error: { message: 'Too many requests' } }, { 'retry-after': '30' }, 429),
      { kind: 'http-status', status: 429 },
    ],
    ['an empty body', json(''), { kind: 'results', problem: 'empty-body' }],
    ['a missing results path', json({ meta: {} }), { kind: 'results', problem: 'missing-path' }],
    [
      'a transport failure',
      { error: 'ECONNRESET after 3 attempts' },
      { kind: 'transport', message: 'ECONNRESET after 3 attempts' },
    ],
  ] as const;

  it.each(cases)('%s on page 2', async (_name, failure, problem) => {
    const { fetch } = sequenceFetch([json({ items: [{ id: 1 }], next: '/x?page=2' }), failure]);
    const result = await collect({ url: `${api}/x`, resultsPosition: 'items' }, fetch);
    expect(result.pages).toHaveLength(1);
    expect(result.pages[0]?.then).toMatchObject({ kind: 'next' });
    expect(result.outcome).toMatchObject({ complete: false, pages: 1, problem: { page: 2, ...problem } });
  });

  it('a fetch function that throws still ends the listing incomplete', async () => {
    const fetch: PageFetch = () => Promise.reject(new Error('socket hang up'));
    const result = await collect({ url: `${api}/x` }, fetch);
    expect(result.pages).toEqual([]);
    expect(result.outcome).toMatchObject({
      complete: false,
      pages: 0,
      problem: { kind: 'transport', message: 'socket hang up' },
    });
  });

  it('an answer not read as XML without the configured element is incomplete, not empty', async () => {
    const { fetch } = recordedFetch('xml-catalog');
    const result = await collect(
      { url: `${api}/xml/catalog`, resultsPosition: 'catalog.book', pagination: { kind: 'page-number' } },
      fetch,
    );
    expect(result.pages).toHaveLength(2);
    expect(result.outcome).toMatchObject({
      complete: false,
      pages: 2,
      problem: { kind: 'results', problem: 'missing-path', page: 3 },
    });
  });

  it('an XML page whose container is empty is an empty page: page numbers end there, complete', async () => {
    const { fetch } = recordedFetch('xml-catalog');
    const asXml: PageFetch = async (request) => {
      const response = await fetch(request);
      return 'error' in response ? response : { ...response, xml: true };
    };
    const result = await collect(
      { url: `${api}/xml/catalog`, resultsPosition: 'catalog.book', pagination: { kind: 'page-number' } },
      asXml,
    );
    expect(result.pages.map((p) => p.objects.length)).toEqual([2, 1, 0]);
    expect(result.outcome).toEqual({ complete: true, pages: 3 });
  });
});

describe('maxPages', () => {
  it('defaults to a safety bound of 10,000 pages, not a limit of ordinary listings', () => {
    expect(DEFAULT_MAX_PAGES).toBe(10_000);
    expect(listingConfigSchema.parse({ url: `${api}/x` }).maxPages).toBe(10_000);
  });

  it('makes the listing incomplete when hit', async () => {
    const fetch: PageFetch = ({ page }) =>
      Promise.resolve(json({ items: [{ id: page }], next: `/x?page=${page + 1}` }));
    const result = await collect({ url: `${api}/x`, maxPages: 3 }, fetch);
    expect(result.pages).toHaveLength(3);
    expect(result.outcome).toEqual({
      complete: false,
      pages: 3,
      problem: { kind: 'page-cap', page: 3, maxPages: 3 },
    });
  });

  it('is not hit when the last page is exactly the cap', async () => {
    const { fetch } = sequenceFetch([
      json({ items: [{ id: 1 }], next: '/x?page=2' }),
      json({ items: [{ id: 2 }] }),
    ]);
    expect((await collect({ url: `${api}/x`, maxPages: 2 }, fetch)).outcome).toEqual({
      complete: true,
      pages: 2,
    });
  });
});

describe('loop protection', () => {
  it('a next link back to a visited page ends the listing with a warning', async () => {
    const { fetch, requested } = sequenceFetch([
      json({ items: [{ id: 1 }], next: '/x?page=2' }),
      json({ items: [{ id: 2 }], next: '/x?page=1' }),
    ]);
    const result = await collect({ url: `${api}/x?page=1` }, fetch);
    expect(requested).toHaveLength(2);
    expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'loop', page: 2 } });
  });

  // 500 pages, page=N linking to page=N+1, and the last one linking back to `back`.
  const longListing = (back: number): { fetch: PageFetch; requested: string[] } => {
    const requested: string[] = [];
    const fetch: PageFetch = ({ url }) => {
      requested.push(url);
      const n = Number(new URL(url).searchParams.get('page'));
      return Promise.resolve(
        json({ items: [{ id: `${n}-${requested.length}` }], next: `/x?page=${n === 500 ? back : n + 1}` }),
      );
    };
    return { fetch, requested };
  };

  it.each([
    ['the first page', 1, 500],
    // Not remembered itself: the link after it leads to page 16, a checkpoint.
    ['page 15', 15, 501],
    ['one of the latest pages', 450, 500],
    // Not remembered: found on the way round again, at the link to page 256 (a checkpoint).
    ['a page in between', 200, 556],
  ])(
    'a 500-page listing whose last page links back to %s is a loop; its cursors stay small',
    async (_, back, requests) => {
      const { fetch, requested } = longListing(back);
      const result = await collect({ url: `${api}/x?page=1`, maxPages: 2_000 }, fetch);
      expect(requested).toHaveLength(requests);
      expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'loop', page: requests } });
      for (const page of result.pages)
        if (page.then.kind === 'next') {
          expect(page.then.cursor.visited.length).toBeLessThanOrEqual(100);
          expect(page.then.cursor.checkpoints?.length).toBeLessThanOrEqual(11);
        }
    },
  );

  it('treats reordered query parameters as the same page', async () => {
    const { fetch, requested } = sequenceFetch([
      json({ items: [{ id: 1 }], next: '/x?page=2' }),
      json({ items: [{ id: 2 }], next: '/x?b=2&a=1' }),
    ]);
    const result = await collect({ url: `${api}/x?a=1&b=2` }, fetch);
    expect(requested).toHaveLength(2);
    expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'loop', page: 2 } });
  });

  it('a last page whose next link points to itself ends a complete listing (body link)', async () => {
    const { fetch, requested } = sequenceFetch([
      json({ items: [{ id: 1 }], next: '/x?page=2' }),
      // Relative, parameters reordered, the sync's own parameter left out: still this very page.
      json({ items: [{ id: 2 }], next: '?page=2' }),
    ]);
    const result = await collect({ url: `${api}/x?key=k` }, fetch);
    expect(requested).toHaveLength(2);
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
    expect(result.pages[1]?.then).toEqual({ kind: 'end', outcome: { complete: true, pages: 2 } });
  });

  it('a last page whose Link header points to itself ends a complete listing', async () => {
    const self = (page: number) => ({ link: `<${api}/x?_limit=1&_page=${page}>; rel="next"` });
    const { fetch, requested } = sequenceFetch([
      json([{ id: 1 }], {
        link: `<${api}/x?_page=2&_limit=1>; rel="next", <${api}/x?_page=2&_limit=1>; rel="last"`,
      }),
      json([{ id: 2 }], self(2)),
    ]);
    const result = await collect(
      { url: `${api}/x?_page=1&_limit=1`, pagination: { kind: 'link-header' } },
      fetch,
    );
    expect(requested).toHaveLength(2);
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
  });

  it('a single page linking to itself is a complete listing of one page', async () => {
    const { fetch, requested } = sequenceFetch([json({ items: [{ id: 1 }], next: `${api}/x` })]);
    const result = await collect({ url: `${api}/x` }, fetch);
    expect(requested).toHaveLength(1);
    expect(result.outcome).toEqual({ complete: true, pages: 1 });
  });

  it('a cursor that repeats the one just used is still a loop (the next link is for links only)', async () => {
    const { fetch, requested } = sequenceFetch([
      json({ items: [{ id: 1 }], cursor: 'abc' }),
      json({ items: [{ id: 2 }], cursor: 'abc' }),
    ]);
    const result = await collect(
      { url: `${api}/x`, pagination: { kind: 'cursor', tokenPath: 'cursor', param: 'after' } },
      fetch,
    );
    expect(requested).toHaveLength(2);
    expect(result.outcome).toMatchObject({ complete: false, problem: { kind: 'loop', page: 2 } });
  });

  it('a page identical to the one before ends the listing (an API ignoring the page parameter)', async () => {
    const same = json([{ id: 1 }, { id: 2 }]);
    const { fetch, requested } = sequenceFetch([same, same, same]);
    const result = await collect({ url: `${api}/x`, pagination: { kind: 'page-number' } }, fetch);
    expect(requested).toHaveLength(2);
    expect(result.pages).toHaveLength(1);
    expect(result.outcome).toMatchObject({
      complete: false,
      pages: 1,
      problem: { kind: 'identical-page', page: 2 },
    });
  });

  it('pages that only share their first object are different pages', async () => {
    const { fetch } = sequenceFetch([json([{ id: 1 }, { id: 2 }]), json([{ id: 1 }, { id: 3 }]), json([])]);
    const result = await collect({ url: `${api}/x`, pagination: { kind: 'page-number' } }, fetch);
    expect(result.pages.flatMap((p) => p.objects)).toEqual([{ id: 1 }, { id: 2 }, { id: 1 }, { id: 3 }]);
    expect(result.outcome).toMatchObject({ complete: true });
  });

  it('the same next link every time cannot loop: the page it names links to itself, so it is the last', async () => {
    const fetch: PageFetch = () =>
      Promise.resolve(json({ items: [{ id: Math.random() }], next: '/x?page=2' }));
    const result = await collect({ url: `${api}/x` }, fetch);
    expect(result.pages).toHaveLength(2);
    expect(result.outcome).toEqual({ complete: true, pages: 2 });
  });
});

describe('resuming from a cursor', () => {
  it('a cursor from page 1 continues with page 2 and keeps loop protection and the cap', async () => {
    const config = listingConfigSchema.parse({ url: `${api}/v1/zaken?apikey=k1&status=open`, maxPages: 2 });
    const first = await listPages(config, recordedFetch('hal-relative-next').fetch).next();
    if (first.done || first.value.then.kind !== 'next') throw new Error('expected a next cursor');
    const cursor = JSON.parse(JSON.stringify(first.value.then.cursor)) as ListingCursor;
    expect(cursor).toMatchObject({
      page: 2,
      strategy: { kind: 'next-link', path: '_links.next.href' },
      objectsBefore: 2,
    });

    const { fetch, requested } = recordedFetch('hal-relative-next');
    const rest = await collect({ url: `${api}/v1/zaken?apikey=k1&status=open`, maxPages: 2 }, fetch, cursor);
    expect(requested).toEqual([`${api}/v1/zaken?page=2&apikey=k1&status=open`]);
    expect(rest.pages.map((p) => p.number)).toEqual([2]);
    expect(rest.outcome).toEqual({ complete: true, pages: 2 });
  });
});

describe('parseLinkHeader', () => {
  it('reads several links, quoted and unquoted rels, and several rels in one', () => {
    const links = parseLinkHeader(
      '<https://a.test/?page=1>; rel="first", <https://a.test/?page=2&x=a,b>; rel=next, <https://a.test/?page=9>; rel="last prev"',
    );
    expect(links).toEqual([
      { url: 'https://a.test/?page=1', rels: ['first'] },
      { url: 'https://a.test/?page=2&x=a,b', rels: ['next'] },
      { url: 'https://a.test/?page=9', rels: ['last', 'prev'] },
    ]);
  });

  it('is case-insensitive for the header name and the rel', async () => {
    const { fetch } = sequenceFetch([
      json([{ id: 1 }], { Link: '</x?page=2>; REL="Next"' }),
      json([{ id: 2 }]),
    ]);
    const result = await collect({ url: `${api}/x`, pagination: { kind: 'link-header' } }, fetch);
    expect(result.ids).toEqual([1, 2]);
  });
});

describe('describeListingProblem', () => {
  it('says which page failed, how, and what to do', () => {
    expect(
      describeListingProblem({ kind: 'http-status', page: 3, url: 'u', status: 500, detail: 'boom' }),
    ).toBe('Page 3 answered 500: boom (the source had an error; try again later)');
    expect(
      describeListingProblem({ kind: 'http-status', page: 1, url: 'u', status: 429, detail: null }),
    ).toContain('rate limiting');
    expect(describeListingProblem({ kind: 'page-cap', page: 50, maxPages: 50 })).toContain('raise Max pages');
  });
});

describe('a configured next-link path', () => {
  const config = {
    url: `${api}/x`,
    resultsPosition: 'items',
    pagination: { kind: 'next-link', path: 'next' },
  } as const;
  const page = (id: number, next: unknown) => json({ items: [{ id }], next });

  it('follows an XML element’s text beside its attributes, and its href attribute', async () => {
    const { fetch, requested } = sequenceFetch([
      page(1, { '#text': '/x?page=2', '@attributes': { rel: 'next' } }),
      page(2, { '@attributes': { href: '/x?page=3' } }),
      page(3, ''),
    ]);
    expect((await collect(config, fetch)).outcome).toEqual({ complete: true, pages: 3 });
    expect(requested.map((u) => new URL(u).search)).toEqual(['', '?page=2', '?page=3']);
  });

  it('ends at a link that says there is none, and stops incomplete at a value that is no link', async () => {
    const none = sequenceFetch([page(1, { href: null })]);
    expect((await collect(config, none.fetch)).outcome).toEqual({ complete: true, pages: 1 });
    const odd = sequenceFetch([page(1, { page: 2 })]);
    expect((await collect(config, odd.fetch)).outcome).toMatchObject({
      complete: false,
      problem: { kind: 'bad-next-link', page: 1 },
    });
  });
});
