// Request URLs: base URL + endpoint, `{{placeholders}}` filled from an object (URL-encoded), and query
// parameters merged so that the ones already in a URL (a next link's page or cursor) survive.

export type QueryValue = string | number | boolean | undefined;
export type QueryParams = Record<string, QueryValue>;

export type UrlResult = { ok: true; url: URL } | { ok: false; reason: string };

export function parseUrl(text: string, base?: string | URL): URL | undefined {
  return URL.canParse(text, base) ? new URL(text, base) : undefined;
}

/** Fills `{{id}}` or `{{ owner.id }}` with URL-encoded values from `record`; a missing value is a failure. */
export function expandTemplate(
  template: string,
  record: Record<string, unknown> | undefined,
): { ok: true; value: string } | { ok: false; reason: string } {
  const missing: string[] = [];
  const value = template.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_match, path: string) => {
    const found = valueAt(record, path);
    if (typeof found === 'string' || typeof found === 'number' || typeof found === 'boolean') {
      return encodeURIComponent(String(found));
    }
    missing.push(path);
    return '';
  });
  if (missing.length === 0) return { ok: true, value };
  const names = missing.map((name) => `"${name}"`).join(', ');
  return {
    ok: false,
    reason: `The endpoint "${template}" needs ${names}, which the object does not have as text or a number.`,
  };
}

export interface UrlParts {
  baseUrl?: string;
  /** Relative to the base URL (its path is kept: base `…/v1` + `items` → `…/v1/items`), or absolute. */
  endpoint?: string;
  /** An absolute URL used as is, e.g. a next link; wins over base URL and endpoint. */
  url?: string;
  record?: Record<string, unknown>;
  /** Added only where the URL does not already have the parameter. */
  defaultQuery?: QueryParams;
  /** Set on the URL, replacing a parameter of the same name. */
  query?: QueryParams;
}

export function buildUrl(parts: UrlParts): UrlResult {
  const located = locate(parts);
  if (!located.ok) return located;
  const { url } = located;
  for (const [name, value] of Object.entries(parts.defaultQuery ?? {})) {
    if (value !== undefined && !url.searchParams.has(name)) url.searchParams.set(name, String(value));
  }
  for (const [name, value] of Object.entries(parts.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return { ok: true, url };
}

function locate(parts: UrlParts): UrlResult {
  if (parts.url) {
    const url = parseUrl(parts.url);
    return url
      ? { ok: true, url }
      : { ok: false, reason: `"${parts.url.slice(0, 200)}" is not a valid URL.` };
  }
  const expanded = expandTemplate(parts.endpoint ?? '', parts.record);
  if (!expanded.ok) return expanded;
  const endpoint = expanded.value;
  const absolute = /^https?:\/\//i.test(endpoint) ? parseUrl(endpoint) : undefined;
  if (absolute) return { ok: true, url: absolute };
  if (!parts.baseUrl) return { ok: false, reason: 'No base URL is configured for a relative endpoint.' };
  const url = parseUrl(parts.baseUrl);
  if (!url) return { ok: false, reason: `The base URL "${parts.baseUrl.slice(0, 200)}" is not valid.` };
  const [path = '', query] = splitOnce(endpoint, '?');
  if (path) url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  if (query) for (const [name, value] of new URLSearchParams(query)) url.searchParams.append(name, value);
  return { ok: true, url };
}

/** `a.b.0.c` into nested objects and arrays; undefined when any step is missing. */
export function valueAt(source: unknown, path: string): unknown {
  let node: unknown = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
