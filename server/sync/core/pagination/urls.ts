// URL handling for pagination: setting query parameters, resolving next links against the current
// URL while keeping the sync's own parameters, and a normalised key for loop detection.
import { sha256Hex } from '../canonical-json';
import type { NextStep } from './strategy';

export type QueryPairs = readonly (readonly [string, string])[];

export function queryPairs(url: string): QueryPairs {
  return [...new URL(url).searchParams.entries()];
}

export function withQuery(url: string, params: Readonly<Record<string, string | number>>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, String(value));
  return parsed.href;
}

export type ResolvedLink = { readonly ok: true; readonly url: string } | { readonly ok: false };

/**
 * Resolves a next link (absolute, or relative to the URL just fetched) and adds back any of the
 * sync's own query parameters the server left out — APIs often drop filters and keys from next links.
 */
export function resolveNextLink(link: string, currentUrl: string, baseQuery: QueryPairs): ResolvedLink {
  let next: URL;
  try {
    next = new URL(link.trim(), currentUrl);
  } catch {
    return { ok: false };
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return { ok: false };
  for (const [name, value] of baseQuery) {
    if (!next.searchParams.has(name)) next.searchParams.append(name, value);
  }
  return { ok: true, url: next.href };
}

/**
 * What a next link found on the page fetched from `currentUrl` means. A link to that same page is how
 * some APIs mark their last page: the end of a complete listing, not a loop (a link back to an earlier
 * page still is one; the listing checks that).
 */
export function followLink(link: string, currentUrl: string, baseQuery: QueryPairs): NextStep {
  const resolved = resolveNextLink(link, currentUrl, baseQuery);
  if (!resolved.ok) return { kind: 'bad-link', link };
  return urlKey(resolved.url) === urlKey(currentUrl) ? { kind: 'last' } : { kind: 'next', url: resolved.url };
}

/** The same request however its parameters are ordered: `?b=2&a=1` and `?a=1&b=2` share a key. */
export function urlKey(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  const sorted = [...parsed.searchParams.entries()].sort(([a, av], [b, bv]) =>
    a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1,
  );
  parsed.search = new URLSearchParams(sorted).toString();
  return sha256Hex(parsed.href).slice(0, 16);
}

/** Case-insensitive header lookup: adapters do not all lower-case their header names. */
export function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
