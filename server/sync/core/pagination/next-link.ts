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

/** What a path holds as a next link: one, nothing (the last page), or a value that is no link at all. */
type FoundLink =
  | { readonly kind: 'link'; readonly link: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'not-a-link'; readonly value: unknown };

/**
 * The next link at a path: a string, a HAL-style `{ href }`, or an XML element's — its text beside
 * attributes (`<next rel="next">/items?page=2</next>`) or its `href` attribute (`<next href="…"/>`).
 * Nothing there (absent, null, false, empty text) is the last page.
 */
function findLink(body: unknown, path: string): FoundLink {
  // `@odata.nextLink` is one key with a dot in it, not a path.
  const lookup =
    isRecord(body) && Object.hasOwn(body, path) ? { found: true, value: body[path] } : lookupPath(body, path);
  if (!lookup.found) return { kind: 'none' };
  const value = lookup.value;
  if (value === null || value === undefined || value === false) return { kind: 'none' };
  if (typeof value === 'string')
    return value.trim() === '' ? { kind: 'none' } : { kind: 'link', link: value };
  if (isRecord(value)) {
    const attributes = value['@attributes'];
    const candidates = [value['href'], value['#text'], isRecord(attributes) ? attributes['href'] : undefined];
    const link = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
    if (link !== undefined) return { kind: 'link', link };
    // `{}` or a HAL `{ "href": null }`: a link that says there is none.
    const href = value['href'];
    if (Object.keys(value).length === 0 || (Object.hasOwn(value, 'href') && (href === null || href === '')))
      return { kind: 'none' };
  }
  return { kind: 'not-a-link', value };
}

/** The next link at a path; undefined when there is none (or what is there is no link). */
export function readLink(body: unknown, path: string): string | undefined {
  const found = findLink(body, path);
  return found.kind === 'link' ? found.link : undefined;
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
  if (path === undefined) return { kind: 'last' };
  const found = findLink(context.body, path);
  // The path a person named holds something that is no link (an element without its text or href, a
  // number): taking the page for the last would make a complete listing of what may be one page of many.
  if (found.kind === 'not-a-link' && strategy.path !== undefined)
    return { kind: 'bad-link', link: JSON.stringify(found.value).slice(0, 100) };
  if (found.kind !== 'link') return { kind: 'last' };
  return followLink(found.link, context.url, context.baseQuery);
}
