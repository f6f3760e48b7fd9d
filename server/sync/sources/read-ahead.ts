// Read-ahead for paged HTTP listings: while the engine processes page n, page n+1 is already being
// fetched, so the source's latency and the engine's work overlap instead of adding up.
//
// Only for executors that run a whole listing in one process (the embedded runner). Under Inngest every
// step may run in a fresh request, where a page fetched ahead would be thrown away and fetched again.
import type { ListingCursor, ListingOutcome, PageFetch, PageRequest } from '../core/pagination/types';
import type { SourcePage, SourcePort } from '../ports';

type PageFetchResult = Awaited<ReturnType<PageFetch>>;

interface Pending {
  url: string;
  result: Promise<PageFetchResult>;
}

export interface ReadAhead {
  /** Answers from the page fetched ahead when it is the one asked for, else fetches it now. */
  readonly fetch: PageFetch;
  /** Starts fetching this page unless it is already under way; forgets any other page fetched ahead. */
  start(request: PageRequest): void;
  /** Forgets the page fetched ahead (its request finishes on its own; nobody reads the answer). */
  discard(): void;
}

export function readAhead(fetchPage: PageFetch): ReadAhead {
  let pending: Pending | null = null;

  // A fetch function answers failures as values, but a throw must still not go unhandled while
  // nobody waits for it; whoever takes the page gets the same throw.
  const started = (request: PageRequest): Promise<PageFetchResult> => {
    const result = fetchPage(request);
    result.catch(() => {});
    return result;
  };

  return {
    fetch(request) {
      if (pending?.url === request.url) {
        const { result } = pending;
        pending = null; // used once: a retried page is fetched again
        return result;
      }
      return fetchPage(request);
    },
    start(request) {
      if (pending?.url === request.url) return;
      pending = { url: request.url, result: started(request) };
    },
    discard() {
      pending = null;
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
  ): AsyncGenerator<SourcePage<ListingCursor>, ListingOutcome, void> {
    const inner = source.pages(from);
    try {
      for (;;) {
        const next = await inner.next();
        if (next.done) return next.value;
        const { then } = next.value;
        if (then.kind === 'next') {
          ahead.start({ url: then.cursor.url, page: then.cursor.page });
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
