// The RFC 8288 `Link` header (`<https://…?page=2>; rel="next"`), as GitHub and json-server send it.
import type { NextStep, PageContext } from './strategy';
import { followLink, header } from './urls';

export interface WebLink {
  readonly url: string;
  readonly rels: readonly string[];
}

/** Parses a Link header value; commas inside <…> and quoted parameters do not split links. */
export function parseLinkHeader(value: string): WebLink[] {
  const links: WebLink[] = [];
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,\s]*))?)*)/g;
  for (const match of value.matchAll(pattern)) {
    const url = match[1] ?? '';
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    links.push({ url, rels });
  }
  return links;
}

export function findNextInLinkHeader(headers: Readonly<Record<string, string>>): string | undefined {
  const value = header(headers, 'link');
  if (!value) return undefined;
  return parseLinkHeader(value).find((link) => link.rels.includes('next'))?.url;
}

export function nextByLinkHeader(context: PageContext): NextStep {
  const link = findNextInLinkHeader(context.headers);
  if (link === undefined) return { kind: 'last' };
  return followLink(link, context.url, context.baseQuery);
}
