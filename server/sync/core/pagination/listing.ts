// The listing loop: fetches pages through the injected fetch function and yields them, each with what
// comes next, and returns whether the listing was complete. It owns the guards every strategy shares —
// the page cap, loops, identical pages — and never yields a made-up empty page for a failure.
import { OBJECT_POSITION } from '../results-position';
import type { ListingConfig, ResolvedPagination } from './config';
import { detectPagination } from './detect';
import { firstUrl, nextStep } from './strategy';
import { fromMemo, objectsDigest, readPage } from './page-content';
import type {
  ListedPage,
  ListingCursor,
  ListingOutcome,
  ListingProblem,
  PageContinuation,
  PageFetch,
  PageResponse,
  Recall,
} from './types';
import { explicitTotal, totalObjects, totalPages } from './totals';
import { afterRepeat } from './past-the-end';
import { endedShort, endedShortOfHeaderTotal, endedShortOfPages } from './ended-short';
import { queryPairs, urlKey } from './urls';

// The pages a cursor remembers for loop detection: the latest ones, and those at page 1, 2, 4, 8, …
// (checkpoints). Every page's durable step returns its cursor, so a list of every page visited made a
// listing's steps grow with the square of its pages: 19 KB a step at page 1,000, 32 bytes of database
// per object at 1M (issue 14). A loop back past the latest pages still meets a checkpoint: one of
// them lies inside the loop once the listing has gone round it (Brent's cycle detection), so the loop
// ends the listing within about three times its length, and the page cap stands behind that.
const VISITED_LATEST = 100;

function remembered(cursor: ListingCursor, key: string): Pick<ListingCursor, 'visited' | 'checkpoints'> {
  const latest = [...cursor.visited, key];
  const page = cursor.page;
  const checkpoint = (page & (page - 1)) === 0;
  return {
    visited: latest.length > VISITED_LATEST ? latest.slice(latest.length - VISITED_LATEST) : latest,
    checkpoints: checkpoint ? [...(cursor.checkpoints ?? []), key] : (cursor.checkpoints ?? []),
  };
}

/** Whether a URL key is one the listing already fetched (as far as the cursor remembers). */
const wasVisited = (seen: Pick<ListingCursor, 'visited' | 'checkpoints'>, key: string) =>
  seen.visited.includes(key) || (seen.checkpoints?.includes(key) ?? false);

export function startCursor(config: ListingConfig): ListingCursor {
  const pagination =
    config.resultsPosition === OBJECT_POSITION ? { kind: 'none' as const } : config.pagination;
  return {
    url: firstUrl(pagination, config.url),
    page: 1,
    strategy: pagination.kind === 'auto' ? null : pagination,
    baseQuery: queryPairs(config.url),
    objectsBefore: 0,
    visited: [],
    checkpoints: [],
    previousPageHash: null,
  };
}

/**
 * Yields the pages of a listing from `from` (a cursor a previous step returned) or from the start.
 * The generator's return value is the outcome; the last yielded page carries the same outcome.
 */
export async function* listPages(
  config: ListingConfig,
  fetchPage: PageFetch,
  from?: ListingCursor,
  recall?: Recall,
): AsyncGenerator<ListedPage, ListingOutcome, void> {
  let cursor = from ?? startCursor(config);
  for (;;) {
    const { page, url } = cursor;
    const incomplete = (problem: ListingProblem): ListingOutcome => ({
      complete: false,
      pages: page - 1,
      problem,
    });

    const response = await fetchSafely(fetchPage, url, page);
    if ('error' in response) {
      const fetch = response.fetch ? { fetch: response.fetch } : {};
      return incomplete({ kind: 'transport', page, url, message: response.error, ...fetch });
    }
    if (response.status < 200 || response.status > 299) {
      const read = 'read' in response ? response.read() : { ok: true as const, body: response.body };
      return incomplete({
        kind: 'http-status',
        page,
        url,
        status: response.status,
        detail: read.ok ? errorDetail(read.body) : null,
      });
    }
    const digest = response.digest ? objectsDigest(response.digest, config.resultsPosition) : undefined;
    // An answer the page's memo knows is not parsed: what the listing reads of it was remembered. Only
    // a listing that recalls takes the facts of an answer it reads: only its run remembers them.
    const known = 'read' in response && recall && digest ? await recall(page, digest()) : null;
    const content =
      known && digest && 'read' in response
        ? fromMemo(known, digest(), response, config, { page, url })
        : readPage(response, config, recall !== undefined);
    if (!content.ok) {
      if (content.problem) return incomplete({ ...content.problem, page, url });
      const fetch = content.fetch ? { fetch: content.fetch } : {};
      return incomplete({ kind: 'transport', page, url, message: content.error, ...fetch });
    }
    const { body, count, fingerprint: pageHash } = content;
    // Empty pages may legitimately repeat (filtered pages with next links); full ones may not, unless
    // the number is past the last page of an API that clamps it (past-the-end.ts).
    if (count > 0 && pageHash === cursor.previousPageHash) {
      const seen = remembered(cursor, urlKey(url));
      const after = afterRepeat(cursor, { url, headers: response.headers, body, count }, seen);
      if ('outcome' in after) return after.outcome;
      cursor = after.cursor;
      continue;
    }

    const strategy: ResolvedPagination =
      cursor.strategy ?? detectPagination(config.pagination, { headers: response.headers, body });
    const step = nextStep(strategy, {
      url,
      page,
      headers: response.headers,
      body,
      count,
      objectsBefore: cursor.objectsBefore,
      baseQuery: cursor.baseQuery,
    });
    const seen = remembered(cursor, urlKey(url));
    const end = (outcome: ListingOutcome): PageContinuation => ({ kind: 'end', outcome });
    const total = announcedTotal(strategy, response.headers, body);
    const announced = total ?? cursor.announcedTotal;
    const announcedPages = pagesAnnounced(strategy, response.headers, body) ?? cursor.announcedPages;
    let then: PageContinuation;
    if (
      step.kind === 'last' &&
      announced !== undefined &&
      endedShort(page, count, cursor.objectsBefore, announced)
    ) {
      then = end({
        complete: false,
        pages: page,
        problem: { kind: 'ended-short', page, listed: cursor.objectsBefore, announced },
      });
    } else if (
      step.kind === 'last' &&
      announced === undefined &&
      announcedPages !== undefined &&
      endedShortOfPages(page, count, announcedPages)
    ) {
      // A source that says how many pages it has but not how many objects: an empty page before its
      // last one would otherwise end a complete listing, and the later pages' objects be deleted.
      then = end({
        complete: false,
        pages: page,
        problem: { kind: 'ended-short', page, listed: cursor.objectsBefore, announcedPages },
      });
    } else if (
      step.kind === 'last' &&
      count > 0 &&
      shortOfStated(strategy, response.headers, body, page, cursor.objectsBefore + count)
    ) {
      // A last page whose answer named no next page (it lost its Link header) while the total its own
      // header states is a page or more beyond what was listed: the pages after it were never read.
      then = end({
        complete: false,
        pages: page,
        problem: {
          kind: 'short-of-total',
          page,
          listed: cursor.objectsBefore + count,
          announced: explicitTotal(body, response.headers, totalPathOf(strategy)) ?? 0,
        },
      });
    } else if (step.kind === 'last') then = end({ complete: true, pages: page });
    else if (step.kind === 'bad-link') {
      then = end({
        complete: false,
        pages: page,
        problem: { kind: 'bad-next-link', page, url, next: step.link },
      });
    } else if (wasVisited(seen, urlKey(step.url))) {
      then = end({ complete: false, pages: page, problem: { kind: 'loop', page, url: step.url } });
    } else if (page >= config.maxPages) {
      then = end({
        complete: false,
        pages: page,
        problem: { kind: 'page-cap', page, maxPages: config.maxPages },
      });
    } else {
      const next: ListingCursor = {
        url: step.url,
        page: page + 1,
        strategy,
        baseQuery: cursor.baseQuery,
        objectsBefore: cursor.objectsBefore + count,
        ...seen,
        previousPageHash: pageHash,
        ...(announced === undefined ? {} : { announcedTotal: announced }),
        ...(announcedPages === undefined ? {} : { announcedPages }),
      };
      then = { kind: 'next', cursor: next };
    }

    const facts = { number: page, url, then, ...(response.fetch ? { fetch: response.fetch } : {}) };
    const counted = total === undefined ? facts : { ...facts, total };
    if (content.recalled) {
      const { load, page: recalledPage } = content.recalled;
      yield {
        ...counted,
        get objects() {
          return load();
        },
        recalled: recalledPage,
      };
    } else {
      const { objects, answer } = content;
      yield {
        ...counted,
        objects,
        ...(digest ? { digest: { of: objects, value: digest } } : {}),
        ...(digest && answer ? { answer } : {}),
      };
    }
    if (then.kind === 'end') return then.outcome;
    cursor = then.cursor;
  }
}

/** The total the answer announces: at the configured path of page-number and offset paging, else the usual places. */
function announcedTotal(
  strategy: ResolvedPagination,
  headers: PageResponse['headers'],
  body: unknown,
): number | undefined {
  const path = strategy.kind === 'page-number' || strategy.kind === 'offset' ? strategy.totalPath : undefined;
  return totalObjects(body, headers, path);
}

const totalPathOf = (strategy: ResolvedPagination) =>
  strategy.kind === 'page-number' || strategy.kind === 'offset' ? strategy.totalPath : undefined;

/** Whether a last page's own stated total (endedShortOfHeaderTotal) is a page or more beyond `listed`. */
function shortOfStated(
  strategy: ResolvedPagination,
  headers: PageResponse['headers'],
  body: unknown,
  page: number,
  listed: number,
): boolean {
  const stated = explicitTotal(body, headers, totalPathOf(strategy));
  // Offset paging may start past the first objects: the total counts those too.
  const skipped = strategy.kind === 'offset' ? strategy.start : 0;
  return stated !== undefined && endedShortOfHeaderTotal(page, listed + skipped, stated);
}

/** The number of pages the answer announces: at the configured path of page-number paging, else the usual places. */
function pagesAnnounced(
  strategy: ResolvedPagination,
  headers: PageResponse['headers'],
  body: unknown,
): number | undefined {
  return totalPages(body, headers, strategy.kind === 'page-number' ? strategy.totalPagesPath : undefined);
}

// A fetch function that throws is a bug in the adapter, but the listing must still end incomplete
// (so nothing is deleted) rather than leave the run without an outcome.
async function fetchSafely(fetchPage: PageFetch, url: string, page: number) {
  try {
    return await fetchPage({ url, page });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** A short human-readable detail from an error response body, if it has one. */
export function errorDetail(body: PageResponse['body']): string | null {
  const pick = (value: unknown): string | null =>
    typeof value === 'string' && value.trim() !== '' ? value.trim().replace(/\s+/g, ' ').slice(0, 200) : null;
  if (typeof body === 'string') return pick(body);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error_description', 'detail', 'title', 'error']) {
    const value = record[key];
    const nested =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['message'] : value;
    const text = pick(nested);
    if (text) return text;
  }
  return null;
}
