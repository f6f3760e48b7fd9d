// Offset/limit paging (`offset`/`limit`, json-server's `_start`/`_limit`): the next offset moves by the
// objects actually received, so a server that returns fewer than asked skips nothing.
import type { ResolvedPagination } from './config';
import type { NextStep, PageContext } from './strategy';
import { totalObjects } from './totals';
import { withQuery } from './urls';

type OffsetConfig = Extract<ResolvedPagination, { kind: 'offset' }>;

export function offsetFirstUrl(config: OffsetConfig, url: string): string {
  return withQuery(url, { [config.offsetParam]: config.start, [config.limitParam]: config.limit });
}

export function nextByOffset(config: OffsetConfig, context: PageContext): NextStep {
  if (context.count === 0) return { kind: 'last' };
  const seen = context.objectsBefore + context.count;
  const total = totalObjects(context.body, context.headers, config.totalPath);
  if (total !== undefined && config.start + seen >= total) return { kind: 'last' };
  return {
    kind: 'next',
    url: withQuery(context.url, {
      [config.offsetParam]: config.start + seen,
      [config.limitParam]: config.limit,
    }),
  };
}
