// Read-ahead for paged HTTP listings: while the engine processes page n, page n+1 is already being
// fetched, so the source's latency and the engine's work overlap instead of adding up. When the
// listing follows Link headers, the page after that is asked for as soon as the headers of page n+1
// arrive — before its body is read and parsed — so the source is not left idle meanwhile.
//
// Only for executors that run a whole listing in one process (the embedded runner). Under Inngest every
// step may run in a fresh request, where a page fetched ahead would be thrown away and fetched again.
// A page fetched ahead that the listing then does not ask for (it ended, hit its cap) is dropped: a
// GET the source answered for nothing, never a different result.
import { findNextInLinkHeader } from '../core/pagination/link-header';
import type { ListingCursor, ListingOutcome, PageFetch, PageRequest } from '../core/pagination/types';
import { resolveNextLink, urlKey } from '../core/pagination/urls';
import type { SourcePage, SourcePort } from '../ports';

type PageFetchResult = Awaited<ReturnType<PageFetch>>;

/** Pages fetched ahead and not yet taken: the next one, and the one after it from a Link header. */
const MAX_PENDING = 2;

/** What the listing has settled that header-time prediction needs (from its latest cursor). */
interface LinkFollowing {
  readonly baseQuery: ListingCursor['baseQuery'];
  readonly visited: ReadonlySet<string>;
}

export interface ReadAhead {
  /** Answers from a page fetched ahead when it is the one asked for, else fetches it now. */
  readonly fetch: PageFetch;
  /** Starts fetching this page unless it is already under way. */
  start(request: PageRequest): void;
  /**
   * The headers of a page just arrived: when the listing follows Link headers, start the page they
   * point to (unless it would be past the cap or already visited, where the listing stops anyway).
   */
  headersOf(request: PageRequest, answer: { url: string; headers: Record<string, string> }): void;
  /** Set from each cursor the listing hands over; null when it does not follow Link headers. */
  follow(following: LinkFollowing | null): void;
  /** Forgets the pages fetched ahead (their requests finish on their own; nobody reads the answers). */
  discard(): void;
}

export function readAhead(fetchPage: PageFetch, options: { maxPages: number }): ReadAhead {
  const pending = new Map<string, Promise<PageFetchResult>>();
  let following: LinkFollowing | null = null;

  const ahead: ReadAhead = {
    fetch(request) {
      const result = pending.get(request.url);
      if (!result) return fetchPage(request);
      pending.delete(request.url); // used once: a retried page is fetched again
      return result;
    },
    start(request) {
      if (pending.has(request.url)) return;
      // A fetch function answers failures as values, but a throw must still not go unhandled while
      // nobody waits for it; whoever takes the page gets the same throw.
      const result = fetchPage(request);
      result.catch(() => {});
      pending.set(request.url, result);
      while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
    },
    headersOf(request, answer) {
      if (!following || answer.url !== request.url || request.page + 1 > options.maxPages) return;
      const link = findNextInLinkHeader(answer.headers);
      if (link === undefined) return;
      const next = resolveNextLink(link, request.url, following.baseQuery);
      if (!next.ok || following.visited.has(urlKey(next.url)) || urlKey(next.url) === urlKey(request.url))
        return;
      ahead.start({ url: next.url, page: request.page + 1 });
    },
    follow(value) {
      following = value;
    },
    discard() {
      pending.clear();
    },
  };
  return ahead;
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
  ): AsyncGenerator<SourcePage<ListingCursor>, ListingOutcome, void> {
    const inner = source.pages(from);
    try {
      for (;;) {
        const next = await inner.next();
        if (next.done) return next.value;
        const { then } = next.value;
        if (then.kind === 'next') {
          const { cursor } = then;
          const links = cursor.strategy?.kind === 'link-header';
          ahead.follow(links ? { baseQuery: cursor.baseQuery, visited: new Set(cursor.visited) } : null);
          ahead.start({ url: cursor.url, page: cursor.page });
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
