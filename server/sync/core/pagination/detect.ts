// Auto-detection of the pagination strategy from the first response, in order of how explicit the
// signal is: a Link header, a next link in the body, a cursor token, page numbers, else one page.
import { lookupPath } from '../paths';
import type { PaginationConfig, ResolvedPagination } from './config';
import { AUTO_CURSOR_TOKENS, readToken } from './cursor-token';
import { findNextInLinkHeader } from './link-header';
import { detectNextLinkPath } from './next-link';
import { totalPages } from './totals';

const CURRENT_PAGE_PATHS = [
  'page',
  'current_page',
  'currentPage',
  'meta.current_page',
  'meta.page',
  'pagination.page',
];

export function detectPagination(
  pagination: PaginationConfig,
  response: { readonly headers: Readonly<Record<string, string>>; readonly body: unknown },
): ResolvedPagination {
  if (pagination.kind !== 'auto') return pagination;
  if (findNextInLinkHeader(response.headers) !== undefined) return { kind: 'link-header' };
  const nextPath = detectNextLinkPath(response.body);
  if (nextPath !== undefined) return { kind: 'next-link', path: nextPath };
  const cursor = AUTO_CURSOR_TOKENS.find(
    ({ tokenPath }) => readToken(response.body, tokenPath) !== undefined,
  );
  if (cursor) return { kind: 'cursor', tokenPath: cursor.tokenPath, param: cursor.param };
  const numbered = CURRENT_PAGE_PATHS.some((path) => lookupPath(response.body, path).found);
  if (pagination.paginationQuery || (numbered && (totalPages(response.body, response.headers) ?? 0) > 1)) {
    return { kind: 'page-number', param: pagination.paginationQuery ?? 'page', start: 1 };
  }
  return { kind: 'none' };
}
