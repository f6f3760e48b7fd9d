import { describe, expect, it } from 'vitest';
import { listingConfigSchema, listingSource, urlKey, type PageFetch } from '@/server/sync/core/pagination';
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
    ahead.start({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2]);
    ahead.start({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2]);
    await ahead.fetch({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2]);
    await ahead.fetch({ url: `${BASE}?page=2`, page: 2 });
    expect(served).toEqual([2, 2]);
  });

  it('fetches a page that was not read ahead', async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    ahead.start({ url: `${BASE}?page=2`, page: 2 });
    await ahead.fetch({ url: `${BASE}?page=3`, page: 3 });
    expect(served).toEqual([2, 3]);
  });

  it('keeps a fetch that throws while nobody waits from going unhandled; the taker gets the throw', async () => {
    const ahead = readAhead(() => Promise.reject(new Error('socket hang up')), { maxPages: 50 });
    ahead.start({ url: `${BASE}?page=2`, page: 2 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(ahead.fetch({ url: `${BASE}?page=2`, page: 2 })).rejects.toThrow('socket hang up');
  });
});

describe('readAhead from Link headers', () => {
  const following = { baseQuery: [] as [string, string][], visited: new Set<string>() };
  const linkTo = (page: number) => ({ link: `<${BASE}?page=${page}>; rel="next"` });

  it('starts the page a Link header points to as soon as the headers arrive', async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    ahead.follow(following);
    ahead.headersOf({ url: `${BASE}?page=2`, page: 2 }, { url: `${BASE}?page=2`, headers: linkTo(3) });
    expect(served).toEqual([3]);
    await ahead.fetch({ url: `${BASE}?page=3`, page: 3 });
    expect(served).toEqual([3]);
  });

  it('starts nothing unless the listing follows Link headers, nor past the cap, a redirect or a visited page', () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 2 });
    const page1 = { url: `${BASE}?page=1`, page: 1 };
    ahead.headersOf(page1, { url: page1.url, headers: linkTo(2) }); // not following yet
    ahead.follow(following);
    ahead.headersOf({ url: `${BASE}?page=2`, page: 2 }, { url: `${BASE}?page=2`, headers: linkTo(3) }); // cap
    ahead.headersOf(page1, { url: `${BASE}/moved?page=1`, headers: linkTo(2) }); // answered elsewhere
    ahead.follow({ ...following, visited: new Set([urlKey(`${BASE}?page=2`)]) });
    ahead.headersOf(page1, { url: page1.url, headers: linkTo(2) }); // already visited
    expect(served).toEqual([]);
  });

  it('holds at most two pages ahead; the oldest is dropped and fetched again when asked for', async () => {
    const { served, fetchPage } = api();
    const ahead = readAhead(fetchPage, { maxPages: 50 });
    for (const page of [1, 2, 3]) ahead.start({ url: `${BASE}?page=${page}`, page });
    await ahead.fetch({ url: `${BASE}?page=1`, page: 1 });
    await ahead.fetch({ url: `${BASE}?page=3`, page: 3 });
    expect(served).toEqual([1, 2, 3, 1]);
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
