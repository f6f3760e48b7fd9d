// Read-ahead for paged HTTP listings: while the engine processes page n, page n+1 is already being
// fetched, so the source's latency and the engine's work overlap instead of adding up. When the
// listing follows Link headers, page n+2 is asked for as soon as the headers of page n+1 arrive —
// before its body is read and parsed — so the source is not left idle meanwhile.
//
// The bound is what keeps a fast source safe: pages are only ever started up to AHEAD pages past the
// one the engine will ask for next. A page fetched ahead whose headers announce a page beyond that
// bound is remembered, not followed; the chain moves on only as the engine takes pages. (Following every
// announcement ran the chain to the end of the listing against an instant source, dropped pages and
// fetched them again: thousands of requests for a hundred pages.)
//
// Only for executors that run a whole listing in one process (the embedded runner, which keeps the
// source across its executions of one run). Under Inngest every step may run in a fresh request, where
// a page fetched ahead would be thrown away and fetched again. A page fetched ahead that the listing
// then does not ask for (it ended, hit its cap) is dropped: a GET the source answered for nothing,
// never a different result.
import { findNextInLinkHeader } from '../core/pagination/link-header';
import type { ListingCursor, ListingOutcome, PageFetch, PageRequest, Recall } from '../core/pagination/types';
import { resolveNextLink, urlKey } from '../core/pagination/urls';
import type { ReadWindow } from '../core/incremental/window';
import type { SourcePage, SourcePort } from '../ports';

type PageFetchResult = Awaited<ReturnType<PageFetch>>;

/** Pages under way at most: the one the engine asks for next and the one after it. */
const AHEAD = 2;

/** What the listing has settled that header-time prediction needs (from its latest cursor). */
interface LinkFollowing {
  readonly baseQuery: ListingCursor['baseQuery'];
  readonly visited: ReadonlySet<string>;
}

interface PendingPage {
  readonly request: PageRequest;
  readonly result: Promise<PageFetchResult>;
  /** The raw next link its headers announced, once they arrived (undefined: none, or not yet). */
  announced?: { readonly link: string };
  /** The listing took its answer; kept until the listing moves past it, for its headers' link. */
  taken?: boolean;
}

export interface ReadAhead {
  /** Answers from a page fetched ahead when it is the one asked for, else fetches it now. */
  readonly fetch: PageFetch;
  /** The listing will ask for this page next: start it unless it is under way already. */
  expect(request: PageRequest): void;
  /** The headers of a page just arrived: remember its next link and follow it if within the bound. */
  headersOf(request: PageRequest, answer: { url: string; headers: Record<string, string> }): void;
  /** Set from each cursor the listing hands over; null when it does not follow Link headers. */
  follow(following: LinkFollowing | null): void;
  /** Forgets the pages fetched ahead (their requests finish on their own; nobody reads the answers). */
  discard(): void;
}

export function readAhead(fetchPage: PageFetch, options: { maxPages: number }): ReadAhead {
  const pending = new Map<string, PendingPage>();
  let following: LinkFollowing | null = null;
  /** The page the listing asks for next (the engine processes the one before it). */
  let expected: PageRequest | null = null;

  function start(request: PageRequest): void {
    if (pending.has(request.url)) return;
    // A fetch function answers failures as values, but a throw must still not go unhandled while
    // nobody waits for it; whoever takes the page gets the same throw.
    const result = fetchPage(request);
    result.catch(() => {});
    pending.set(request.url, { request, result });
  }

  /** Follows announced links from the expected page, never past AHEAD pages under way. */
  function pump(): void {
    if (!expected || !following) return;
    let from = pending.get(expected.url);
    while (from?.announced && from.request.page + 1 < expected.page + AHEAD) {
      const next = nextRequest(from.request, from.announced.link, following);
      if (!next) return;
      start(next);
      from = pending.get(next.url);
    }
  }

  function nextRequest(after: PageRequest, link: string, by: LinkFollowing): PageRequest | null {
    if (after.page + 1 > options.maxPages) return null;
    const next = resolveNextLink(link, after.url, by.baseQuery);
    if (!next.ok) return null;
    const key = urlKey(next.url);
    // A link back to a visited page or to itself ends the listing there: nothing to fetch.
    if (by.visited.has(key) || key === urlKey(after.url)) return null;
    return { url: next.url, page: after.page + 1 };
  }

  return {
    fetch(request) {
      const ahead = pending.get(request.url);
      // Used once: a retried page is fetched again.
      if (!ahead || ahead.taken || ahead.request.page !== request.page) return fetchPage(request);
      ahead.taken = true;
      return ahead.result;
    },
    expect(request) {
      expected = request;
      // Predictions the listing did not take (earlier pages, another URL for this one) are dropped.
      for (const [url, page] of pending)
        if (page.request.page < request.page || (page.request.page === request.page && url !== request.url))
          pending.delete(url);
      start(request);
      pump();
    },
    headersOf(request, answer) {
      const page = pending.get(request.url);
      // Only a page fetched ahead is followed (a redirected answer's links are the listing's to read).
      if (!page || page.request.page !== request.page || answer.url !== request.url) return;
      const link = findNextInLinkHeader(answer.headers);
      if (link === undefined) return;
      page.announced = { link };
      pump();
    },
    follow(value) {
      following = value;
    },
    discard() {
      pending.clear();
      expected = null;
    },
  };
}

// The engine's database calls are synchronous under their promises, so processing a page never returns
// to the event loop on its own: without a few turns of it here, the next page's request would only be
// written to the socket after the page is done, and nothing would overlap. Three turns take a request on
// a kept-alive connection to the wire (measured with bench/: one or none gives no overlap). A request
// that needs longer (a DNS lookup, a new TLS connection) overlaps less; the result is the same either way.
const TURNS = 3;
async function letRequestGoOut(): Promise<void> {
  for (let i = 0; i < TURNS; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The listing's pages, each announcing the page after it to the read-ahead as it is handed over. */
export function announcingNextPages(
  source: SourcePort<ListingCursor>,
  ahead: ReadAhead,
): SourcePort<ListingCursor> {
  async function* pages(
    from: ListingCursor | null,
    window?: ReadWindow,
    recall?: Recall,
  ): AsyncGenerator<SourcePage<ListingCursor>, ListingOutcome, void> {
    const inner = source.pages(from, window, recall);
    try {
      for (;;) {
        const next = await inner.next();
        if (next.done) return next.value;
        const { then } = next.value;
        if (then.kind === 'next') {
          const { cursor } = then;
          const links = cursor.strategy?.kind === 'link-header';
          ahead.follow(
            links
              ? {
                  baseQuery: cursor.baseQuery,
                  visited: new Set([...cursor.visited, ...(cursor.checkpoints ?? [])]),
                }
              : null,
          );
          ahead.expect({ url: cursor.url, page: cursor.page });
          await letRequestGoOut();
        }
        yield next.value;
      }
    } finally {
      await inner.return(undefined as never);
    }
  }
  return { systemId: source.systemId, pages };
}
