// After a redirect, relative pagination links must resolve against the URL that answered, while the
// listing core resolves them against the URL it asked for. This anchors them to the answering URL.
import { isRecord } from '../core/paths';
import type { PaginationConfig } from '../core/pagination/config';
import { AUTO_NEXT_LINK_PATHS } from '../core/pagination/next-link';

export interface AnsweredPage {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** The page with its Link header and body next link made absolute against `answeredUrl`. */
export function anchorLinks(
  page: AnsweredPage,
  requestedUrl: string,
  answeredUrl: string,
  pagination: PaginationConfig,
): AnsweredPage {
  if (answeredUrl === requestedUrl) return page;
  const headers = { ...page.headers };
  if (headers['link'])
    headers['link'] = headers['link'].replace(
      /<([^>]*)>/g,
      (_m, url: string) => `<${absolute(url, answeredUrl)}>`,
    );
  let body = page.body;
  for (const path of bodyLinkPaths(pagination)) body = anchorAt(body, path, answeredUrl);
  return { headers, body };
}

function bodyLinkPaths(pagination: PaginationConfig): readonly string[] {
  if (pagination.kind === 'auto') return AUTO_NEXT_LINK_PATHS;
  if (pagination.kind === 'next-link') return pagination.path ? [pagination.path] : AUTO_NEXT_LINK_PATHS;
  return [];
}

function absolute(link: string, base: string): string {
  return URL.canParse(link.trim(), base) ? new URL(link.trim(), base).href : link;
}

// Copies only the objects along the path, so the listed objects themselves are never touched.
function anchorAt(body: unknown, path: string, base: string): unknown {
  if (!isRecord(body)) return body;
  // `@odata.nextLink` is one key with a dot in it, as the core reads it.
  const [key, rest] = Object.hasOwn(body, path) ? [path, undefined] : splitFirst(path);
  if (!Object.hasOwn(body, key)) return body;
  const value = body[key];
  let replaced: unknown;
  if (rest !== undefined) replaced = anchorAt(value, rest, base);
  else if (typeof value === 'string') replaced = absolute(value, base);
  else if (isRecord(value) && typeof value['href'] === 'string')
    replaced = { ...value, href: absolute(value['href'], base) };
  else return body;
  return replaced === value ? body : { ...body, [key]: replaced };
}

function splitFirst(path: string): [string, string | undefined] {
  const at = path.indexOf('.');
  return at < 0 ? [path, undefined] : [path.slice(0, at), path.slice(at + 1)];
}
