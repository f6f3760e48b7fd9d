// The vocabulary of a listing: the injected fetch function, the resumable cursor that steps carry,
// the pages it yields, and how it ended (complete, or incomplete with a typed problem).
import type { FetchFacts } from '../../ports';
import type { ResultsProblem } from '../results-position';
import type { ResolvedPagination } from './config';

export interface PageRequest {
  readonly url: string;
  /** 1-based number of the page in this listing, for logs and error messages. */
  readonly page: number;
}

/** A response with its body already parsed (JSON, or XML converted to objects). */
export interface PageResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The body was XML (converted to objects): an element with nothing in it is an empty list there. */
  readonly xml?: boolean;
  /** Answered 204 No Content: a page without objects, whatever the results position. */
  readonly noContent?: boolean;
  /** How the transport got it (masked URL, time, retries), for the run's timeline. */
  readonly fetch?: FetchFacts;
  /**
   * A digest equal for two responses only when their bodies are the same value (REST: the body's text
   * with everything it was parsed and anchored by, sources/answer-digest.ts); computed when asked.
   */
  readonly digest?: () => string;
}

/**
 * A response whose body is read only when the listing needs it (REST): an answer the listing recognises
 * by its digest (Recall) is never parsed. `read` gives the body as PageResponse would have held it, or
 * the failure its reading is (an unreadable body ends the listing as a transport failure).
 */
export interface UnreadResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch?: FetchFacts;
  readonly digest: () => string;
  /** Whether a text holds one of the source's secrets: the facts of such an answer are not kept. */
  readonly secret?: (text: string) => boolean;
  readonly read: () =>
    | {
        readonly ok: true;
        readonly body: unknown;
        readonly xml?: boolean;
        /** Answered 204 No Content: a page without objects, whatever the results position. */
        readonly noContent?: boolean;
      }
    | { readonly ok: false; readonly error: string; readonly fetch?: FetchFacts };
}

/** The transport gave up (network error, timeout) after its own retries. */
export interface TransportFailure {
  readonly error: string;
  readonly fetch?: FetchFacts;
}

/** Injected: the REST adapter supplies one with auth and retries; tests feed recorded responses. */
export type PageFetch = (request: PageRequest) => Promise<PageResponse | UnreadResponse | TransportFailure>;

/** Everything needed to fetch the next page; plain JSON so a durable step can return it. */
export interface ListingCursor {
  readonly url: string;
  readonly page: number;
  /** null until the first response has been seen by auto-detection. */
  readonly strategy: ResolvedPagination | null;
  /** The query parameters of the configured URL, added to next links that drop them. */
  readonly baseQuery: readonly (readonly [string, string])[];
  readonly objectsBefore: number;
  /** Short hashes of the latest URLs fetched (listing.ts): a next link back to one of them is a loop. */
  readonly visited: readonly string[];
  /** The same for pages 1, 2, 4, 8, … (absent in cursors saved before they were kept). */
  readonly checkpoints?: readonly string[];
  readonly previousPageHash: string | null;
  /** The latest total of objects the source announced (ended-short.ts); absent until one is. */
  readonly announcedTotal?: number;
  /** The latest number of pages the source announced (ended-short.ts); absent until one is. */
  readonly announcedPages?: number;
  /** The page the previous answer repeated, while the next number is asked (past-the-end.ts). */
  readonly repeatOf?: number;
}

export type ListingProblem =
  | {
      readonly kind: 'transport';
      readonly page: number;
      readonly url: string;
      readonly message: string;
      /** The failed request's time and retries, for the run's timeline. */
      readonly fetch?: FetchFacts;
    }
  | {
      readonly kind: 'http-status';
      readonly page: number;
      readonly url: string;
      readonly status: number;
      readonly detail: string | null;
    }
  | {
      readonly kind: 'results';
      readonly page: number;
      readonly url: string;
      readonly problem: ResultsProblem;
      readonly message: string;
    }
  | { readonly kind: 'bad-next-link'; readonly page: number; readonly url: string; readonly next: string }
  | { readonly kind: 'page-cap'; readonly page: number; readonly maxPages: number }
  | { readonly kind: 'loop'; readonly page: number; readonly url: string }
  | { readonly kind: 'identical-page'; readonly page: number; readonly url: string }
  | {
      readonly kind: 'ended-short';
      readonly page: number;
      readonly listed: number;
      readonly announced: number;
    }
  | {
      readonly kind: 'ended-short';
      readonly page: number;
      readonly listed: number;
      /** The number of pages the source announced (it announced no total of objects). */
      readonly announcedPages: number;
    }
  /** A last page (objects, no next) a page or more short of the total its answer's header announced. */
  | {
      readonly kind: 'short-of-total';
      readonly page: number;
      /** Objects on every page, the last one included. */
      readonly listed: number;
      readonly announced: number;
    };

/**
 * A record the source met but could not read (a CSV line with the wrong number of fields, a JSON line
 * that does not parse): it has no id, so it may be any object missing from the listing.
 */
export interface UnreadableRecord {
  /** 1-based line in the file where it starts, when the format has lines. */
  readonly line?: number;
  /** Its position among the file's records (1-based), when lines mean nothing. */
  readonly index?: number;
  /** The reader's reason, e.g. "it has 6 fields but the header has 5". */
  readonly reason: string;
}

/** The unreadable records of a whole listing: how many, and the first few. */
export interface UnreadableTally {
  readonly count: number;
  readonly samples: readonly UnreadableRecord[];
}

/**
 * Complete means every page was fetched without error, the cap was not hit and nothing looped. A file
 * read to its end with records it could not read is complete (every page read, the run's counts and
 * entries hold them), but says so in `unreadable`: such a listing deletes nothing (deletions.ts).
 */
export type ListingOutcome =
  | {
      readonly complete: true;
      readonly pages: number;
      readonly unreadable?: UnreadableTally;
      /** The listing ended where numbers past its last page answered that page again (past-the-end.ts). */
      readonly repeatedLast?: boolean;
    }
  | { readonly complete: false; readonly pages: number; readonly problem: ListingProblem };

/** What follows a page: another request, or the end of the listing. */
export type PageContinuation =
  | { readonly kind: 'next'; readonly cursor: ListingCursor }
  | { readonly kind: 'end'; readonly outcome: ListingOutcome };

export interface ListedPage {
  readonly number: number;
  readonly url: string;
  readonly objects: readonly unknown[];
  readonly then: PageContinuation;
  readonly fetch?: FetchFacts;
  /** The number of objects the source says the listing holds, when the answer says so. */
  readonly total?: number;
  /** See SourcePage.digest. */
  readonly digest?: PageDigest;
  /** See SourcePage.answer. */
  readonly answer?: AnswerFacts;
  /** See SourcePage.recalled. */
  readonly recalled?: RecalledPage;
}

/**
 * What the listing read of a page's answer besides its objects (answer-facts.ts), for the page's memo:
 * the same answer read again is then not parsed.
 */
export interface AnswerFacts {
  /** The body with its list of objects emptied: all the strategies, totals and detection read of it. */
  readonly skeleton: unknown;
  /** The objects on the page. */
  readonly count: number;
  /** pageFingerprint of the objects (the identical-page guard). */
  readonly fingerprint: string;
}

/** An answer's facts as its memo kept them, with the page's origin ids (core/page-memo.ts). */
export interface RecalledAnswer extends AnswerFacts {
  readonly ids: readonly string[];
}

/**
 * Asked by the listing, before it reads a body, with the page's number and the digest of its objects
 * (PageDigest.value): the facts of the same answer as remembered, or null to read the body.
 */
export type Recall = (page: number, digest: string) => Promise<RecalledAnswer | null>;

/**
 * A page whose answer `recall` recognised: its body is parsed only if `objects` is asked for. `digest`
 * is its objects' (PageDigest.value), `ids` the origin ids remembered for it.
 */
export interface RecalledPage {
  readonly digest: string;
  readonly ids: readonly string[];
}

/**
 * A digest equal for two pages only when their objects are the same (core/page-memo.ts), cheaper than
 * serialising them: a REST page's is its answer's text and how its objects were taken from it. It
 * stands for the very array `of`: whoever hands on other objects (a filter, a copy) hands on a new array,
 * which the digest then does not describe, and the engine serialises the objects instead.
 */
export interface PageDigest {
  readonly of: readonly unknown[];
  readonly value: () => string;
}

/** How many objects a page holds, without reading the body of a recalled one. */
export function objectCount(page: {
  readonly objects: readonly unknown[];
  readonly recalled?: RecalledPage;
}): number {
  return page.recalled ? page.recalled.ids.length : page.objects.length;
}

export function problemSeverity(problem: ListingProblem): 'warning' | 'error' {
  return problem.kind === 'page-cap' ||
    problem.kind === 'loop' ||
    problem.kind === 'identical-page' ||
    problem.kind === 'ended-short' ||
    problem.kind === 'short-of-total'
    ? 'warning'
    : 'error';
}
