// The sources' side of the ports (server/sync/ports.ts re-exports it): a page of a listing with what
// its request was, and the interface every source adapter (REST, XML, CSV, SQL) implements.
import type { CursorValue } from './core/incremental/values';
import type { ReadWindow } from './core/incremental/window';
import type {
  AnswerFacts,
  ListingOutcome,
  PageDigest,
  Recall,
  RecalledPage,
  UnreadableRecord,
} from './core/pagination/types';
import type { RefusedObject } from './core/refused';

/** What follows a page: another page from `cursor`, or the end of the listing with its outcome. */
export type SourceContinuation<TCursor> =
  | { readonly kind: 'next'; readonly cursor: TCursor }
  | { readonly kind: 'end'; readonly outcome: ListingOutcome };

export interface SourcePage<TCursor> {
  /** 1-based, counted across the whole listing (also after resuming from a cursor). */
  readonly number: number;
  /** The request that produced it, when there is one (REST), for logs. */
  readonly url?: string;
  readonly objects: readonly unknown[];
  readonly then: SourceContinuation<TCursor>;
  /** How the page was fetched (REST: the masked URL, status, time, retries), for the run's timeline. */
  readonly fetch?: FetchFacts;
  /** How many objects the source says the whole listing holds (X-Total-Count, `meta.total`, count(*)). */
  readonly total?: number;
  /** A digest of `objects`, cheaper than serialising them (core/pagination/types.ts PageDigest). */
  readonly digest?: PageDigest;
  /** What the listing read of the page's answer besides its objects, to remember with its memo. */
  readonly answer?: AnswerFacts;
  /**
   * Set when `recall` recognised the page's answer: its objects are read (parsed) only when `objects` is
   * first asked for, and the engine, which may decide the page from its memo, asks only if it must.
   */
  readonly recalled?: RecalledPage;
  /**
   * Records of this page the source met but could not read (a file's malformed lines): each is counted
   * as found and invalid, without an id, with an entry naming its line and the reason.
   */
  readonly unreadable?: readonly UnreadableRecord[];
  /**
   * Objects the source refused to hand over although it can name them (a register object whose id
   * another object's contract holds: core/register-claims.ts): each found and invalid, with its entry.
   */
  readonly refused?: readonly RefusedObject[];
}

/** Why a request was sent again: a 429 or a spent rate-limit window, a 5xx, or a network failure. */
export type RetryCause = 'rate-limit' | 'server' | 'network' | 'timeout';

export interface RetryFact {
  readonly attempt: number;
  readonly cause: RetryCause;
  /** In words, secrets masked ("503 Service Unavailable", "connection refused"). */
  readonly reason: string;
  readonly status?: number;
  readonly waitMs: number;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** One page's request as the transport saw it. Plain JSON: it may ride in a step's result. */
export interface FetchFacts {
  /** Query parameters that look like keys or tokens masked. */
  readonly url?: string;
  readonly status?: number;
  /** From the first attempt to the answer, retries and their waits included. */
  readonly durationMs: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly retries: readonly RetryFact[];
}

/**
 * A source lists its objects page by page. The cursor is plain JSON (a REST listing cursor, an SQL
 * keyset position, a file offset), so a durable step can return it and the next step resume from it.
 */
export interface SourcePort<TCursor = unknown> {
  readonly systemId: string;
  /**
   * Pages from `from` (a cursor an earlier page returned) or from the start when null. The generator's
   * return value is the outcome; only a complete listing may lead to deletions. A failed request ends
   * the listing incomplete with its problem — it never yields an empty page in its place.
   *
   * `recall` (REST): asked with a page's digest before its answer is parsed; a page it recognises comes
   * with `recalled` set. Sources that have nothing to spare by it leave it unasked.
   */
  pages(
    from: TCursor | null,
    window?: ReadWindow,
    recall?: Recall,
  ): AsyncGenerator<SourcePage<TCursor>, ListingOutcome, void>;
  /**
   * Incremental runs: the largest value of the updated-at column now, frozen before the first page so
   * that what is committed during the run waits for the next one (SQL). A source without it (REST) is
   * bounded by what the run read instead.
   */
  upperBound?(): Promise<UpperBound>;
}

export type UpperBound =
  | { readonly ok: true; readonly value: CursorValue | null }
  | { readonly ok: false; readonly problem: string };
