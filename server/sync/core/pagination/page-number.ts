// Page numbers in a query parameter (`paginationQuery`): stop at an empty page, or once the announced
// total of pages or objects is reached. A short page alone does not stop the listing, because a server
// that caps the page size below the one asked for would otherwise end it early.
import type { ResolvedPagination } from './config';
import type { NextStep, PageContext } from './strategy';
import { totalObjects, totalPages } from './totals';
import { withQuery } from './urls';

type PageNumberConfig = Extract<ResolvedPagination, { kind: 'page-number' }>;

export function pageNumberFirstUrl(config: PageNumberConfig, url: string): string {
  const params: Record<string, number> = { [config.param]: config.start };
  if (config.sizeParam && config.size) params[config.sizeParam] = config.size;
  return withQuery(url, params);
}

export function nextByPageNumber(config: PageNumberConfig, context: PageContext): NextStep {
  if (context.count === 0) return { kind: 'last' };
  const pages = totalPages(context.body, context.headers, config.totalPagesPath);
  if (pages !== undefined && context.page >= pages) return { kind: 'last' };
  const objects = totalObjects(context.body, context.headers, config.totalPath);
  if (objects !== undefined && context.objectsBefore + context.count >= objects) return { kind: 'last' };
  // The page number follows the listing's own count, so an auto-detected first request without the
  // parameter still continues with start + 1.
  return { kind: 'next', url: withQuery(context.url, { [config.param]: config.start + context.page }) };
}
