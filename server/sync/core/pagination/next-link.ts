// Next link in the body: top-level `next`, a configured path (`links.next`, `_links.next.href`), or,
// when detecting, the places APIs usually put it.
import { isRecord, lookupPath } from '../paths';
import type { ResolvedPagination } from './config';
import type { NextStep, PageContext } from './strategy';
import { followLink } from './urls';

export const AUTO_NEXT_LINK_PATHS = [
  'next',
  'links.next',
  '_links.next.href',
  '_links.next',
  'links.next.href',
  'pagination.next',
  'paging.next',
  'meta.next',
  'next_page_url',
  'nextLink',
  '@odata.nextLink',
] as const;

/** The next link at a path: a string, or a HAL-style `{ href }`. undefined when there is none. */
export function readLink(body: unknown, path: string): string | undefined {
  // `@odata.nextLink` is one key with a dot in it, not a path.
  const lookup =
    isRecord(body) && Object.hasOwn(body, path) ? { found: true, value: body[path] } : lookupPath(body, path);
  if (!lookup.found) return undefined;
  const value = isRecord(lookup.value) ? lookup.value['href'] : lookup.value;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The first auto path that holds a next link in this body. */
export function detectNextLinkPath(body: unknown): string | undefined {
  return AUTO_NEXT_LINK_PATHS.find((path) => readLink(body, path) !== undefined);
}

export function nextByBodyLink(
  strategy: Extract<ResolvedPagination, { kind: 'next-link' }>,
  context: PageContext,
): NextStep {
  const path = strategy.path ?? detectNextLinkPath(context.body);
  const link = path === undefined ? undefined : readLink(context.body, path);
  if (link === undefined) return { kind: 'last' };
  return followLink(link, context.url, context.baseQuery);
}
