// The pagination strategies behind one small interface: where the first request goes, and, given a
// fetched page, what comes next. The listing loop (listing.ts) owns the guards they all share.
import type { PaginationConfig, ResolvedPagination } from './config';
import { nextByCursorToken } from './cursor-token';
import { nextByLinkHeader } from './link-header';
import { nextByBodyLink } from './next-link';
import { nextByOffset, offsetFirstUrl } from './offset';
import { nextByPageNumber, pageNumberFirstUrl } from './page-number';
import type { QueryPairs } from './urls';

/** A fetched page as the strategies see it. */
export interface PageContext {
  readonly url: string;
  readonly page: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** How many objects this page holds. */
  readonly count: number;
  /** Objects on the pages before this one. */
  readonly objectsBefore: number;
  readonly baseQuery: QueryPairs;
}

export type NextStep =
  | { readonly kind: 'next'; readonly url: string }
  | { readonly kind: 'last' }
  | { readonly kind: 'bad-link'; readonly link: string };

export function firstUrl(pagination: PaginationConfig, url: string): string {
  switch (pagination.kind) {
    case 'page-number':
      return pageNumberFirstUrl(pagination, url);
    case 'offset':
      return offsetFirstUrl(pagination, url);
    default:
      return url;
  }
}

export function nextStep(strategy: ResolvedPagination, context: PageContext): NextStep {
  switch (strategy.kind) {
    case 'none':
      return { kind: 'last' };
    case 'next-link':
      return nextByBodyLink(strategy, context);
    case 'link-header':
      return nextByLinkHeader(context);
    case 'page-number':
      return nextByPageNumber(strategy, context);
    case 'offset':
      return nextByOffset(strategy, context);
    case 'cursor':
      return nextByCursorToken(strategy, context);
  }
}
