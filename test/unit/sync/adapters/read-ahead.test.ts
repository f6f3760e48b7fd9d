import { describe, expect, it } from 'vitest';
import {
  listingConfigSchema,
  listingSource,
  urlKey,
  type PageFetch,
  type PageRequest,
} from '@/server/sync/core/pagination';
import { announcingNextPages, readAhead } from '@/server/sync/sources/read-ahead';

const BASE = 'http://api.test/items';
const PAGES = 3;

/** A link-header API of three pages of two objects, recording every request it serves. */
function api() {
  const served: number[] = [];
  const fetchPage: PageFetch = ({ url }) => {
    const page = Number(new URL(url).searchParams.get('page') ?? 1);
    served.push(page);
    const headers: Record<string, string> =
      page < PAGES ? { link: `<${BASE}?page=${page + 1}>; rel="next"` } : {};
    return Promise.resolve({ status: 200, headers, body: [{ id: `${page}a` }, { id: `${page}b` }] });
  };
  return { served, fetchPage };
}

const config = listingConfigSchema.parse({ url: `${BASE}?page=1`, pagination: { kind: 'link-header' } });

describe('readAhead', () => {
  it('answers the page asked for from the one fetched ahead, once; a retried page is fetched again', async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    ahead.expect({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2]);
    ahead.expect({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2]);
    await ahead.fetch({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2]);
    await ahead.fetch({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2, 2]);
  });

  it('fetches a page that was not read ahead, and drops a prediction the listing did not take', async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    ahead.expect({ url: `${BASE}?page=2`, page: 2 });
    await ahead.fetch({ url: `${BASE}?page=3`, page: 3 });
    ahead.expect({ url: `${BASE}?page=2&other`, page: 2 });
    await ahead.fetch({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2, 3, 2, 2]);
  });

  it('keeps a fetch that throws while nobody waits from going unhandled; the taker gets the throw', async () => {
    const ahead = readAhead(() => Promise.reject(new Error('socket hang up')), { maxPages: 50 });
    ahead.expect({ url: `${BASE}?page=2`, page: 2 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(ahead.fetch({ url: `${BASE}?page=2`, page: 2 })).rejects.toThrow('socket hang up');
  });
});

describe('readAhead from Link headers', () => {
  const following = { baseQuery: [] as [string, string][], visited: new Set<string>() };
  const linkTo = (page: number) => ({ link: `<${BASE}?page=${page}>; rel="next"` });
  const at = (page: number) => ({ url: `${BASE}?page=${page}`, page });

  it("starts the page a Link header points to as soon as the expected page's headers arrive", async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    ahead.follow(following);
    ahead.expect(at(2));
    ahead.headersOf(at(2), { url: at(2).url, headers: linkTo(3) });
    expect(served).toEqual([2, 3]);
    await ahead.fetch(at(2));
    await ahead.fetch(at(3));
    expect(served).toEqual([2, 3]);
  });

  it("follows a page's headers also after the listing took it (a slow body), never more than two pages on", () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    ahead.follow(following);
    ahead.expect(at(2));
    void ahead.fetch(at(2));
    ahead.headersOf(at(2), { url: at(2).url, headers: linkTo(3) });
    ahead.headersOf(at(3), { url: at(3).url, headers: linkTo(4) }); // remembered, not followed yet
    expect(served).toEqual([2, 3]);
    ahead.expect(at(3)); // the engine moved on: page 3's announcement is now within the bound
    expect(served).toEqual([2, 3, 4]);
  });

  it('starts nothing unless the listing follows Link headers, nor past the cap, a redirect, a visited page or itself', () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 2 });
    ahead.expect(at(1));
    ahead.headersOf(at(1), { url: at(1).url, headers: linkTo(2) }); // not following
    ahead.follow(following);
    ahead.headersOf(at(1), { url: `${BASE}/moved?page=1`, headers: linkTo(2) }); // answered elsewhere
    ahead.headersOf(at(1), { url: at(1).url, headers: linkTo(1) }); // a self-link: the last page
    ahead.expect(at(2));
    ahead.headersOf(at(2), { url: at(2).url, headers: linkTo(3) }); // past the cap
    const fresh = readAhead(fetchPage, { maxPages: 50 });
    fresh.follow({ ...following, visited: new Set([urlKey(at(3).url)]) });
    fresh.expect(at(4));
    fresh.headersOf(at(4), { url: at(4).url, headers: linkTo(3) }); // already visited
    expect(served).toEqual([1, 2, 4]);
  });
});

/** A Link-header API of `pages` pages whose headers arrive the moment a page is asked for. */
function instantApi(
  pages: number,
  onHeaders: (request: PageRequest, headers: Record<string, string>) => void,
) {
  const served: number[] = [];
  const fetchPage: PageFetch = (request) => {
    const page = Number(new URL(request.url).searchParams.get('page') ?? 1);
    served.push(page);
    const headers: Record<string, string> =
      page < pages ? { link: `<${BASE}?page=${page + 1}>; rel="next"` } : {};
    onHeaders(request, headers);
    return Promise.resolve({ status: 200, headers, body: [{ id: `${page}a` }] });
  };
  return { served, fetchPage };
}

describe('read ahead of an instant source', () => {
  it('requests each of 100 pages once, in order, and never more than two pages past the engine', async () => {
    const hooks: { ahead?: ReturnType<typeof readAhead> } = {};
    const { served, fetchPage } = instantApi(100, (request, headers) =>
      hooks.ahead?.headersOf(request, { url: request.url, headers }),
    );
    const ahead = (hooks.ahead = readAhead(fetchPage, { maxPages: 1000 }));
    const hundred = { ...config, maxPages: 1000 };
    const pages = announcingNextPages(listingSource('src_1', hundred, ahead.fetch), ahead).pages(null);
    let next = await pages.next();
    while (!next.done) {
      expect(Math.max(...served)).toBeLessThanOrEqual(next.value.number + 2);
      next = await pages.next();
    }
    expect(next.value).toEqual({ complete: true, pages: 100 });
    expect(served).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});

describe('announcingNextPages', () => {
  it('has the next page under way before the engine asks for it, and fetches every page once', async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    const source = announcingNextPages(listingSource('src_1', config, ahead.fetch), ahead);
    // One page per step, as the durable steps take them.
    const first = source.pages(null);
    const page1 = await first.next();
    expect(served).toEqual([1, 2]);
    await first.return(undefined as never);
    if (page1.done || page1.value.then.kind !== 'next') throw new Error('expected a next page');
    const second = source.pages(page1.value.then.cursor);
    const page2 = await second.next();
    await second.return(undefined as never);
    expect(page2.done ? null : page2.value.objects).toEqual([{ id: '2a' }, { id: '2b' }]);
    expect(served).toEqual([1, 2, 3]);
  });

  it('iterated straight through, still fetches each page once and ends with the outcome', async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    const pages = announcingNextPages(listingSource('src_1', config, ahead.fetch), ahead).pages(null);
    const numbers: number[] = [];
    let next = await pages.next();
    while (!next.done) {
      numbers.push(next.value.number);
      next = await pages.next();
    }
    expect(numbers).toEqual([1, 2, 3]);
    expect(next.value).toEqual({ complete: true, pages: 3 });
    expect(served).toEqual([1, 2, 3]);
  });
});
