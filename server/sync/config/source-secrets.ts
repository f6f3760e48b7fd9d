// Where a source's secrets live and where they may go. Secrets are the source's `secrets` (encrypted,
// write-only: only their names come back); its settings are answered to everyone who may read the
// source, so a header or query parameter whose name looks secret is refused there and belongs in the
// secrets — an authentication's key or token, or a secret header or parameter of its own
// (`header:<name>`, `query:<name>`), which the HTTP client puts on each request to the API's origin.
// And a secret goes only where it went when it was given: settings that send the secrets to another
// address (a REST origin, an SQL host and port) drop the stored ones unless the same save gives them again.
// Shared by the source service (saving and answering), the connection test of unsaved settings and
// the source form.
import { isSensitiveName, MASK } from '../http/redact';
import { SOURCE_SECRET_NAMES, type SOURCE_CONFIG_SCHEMAS } from './source-config';

type SourceType = keyof typeof SOURCE_CONFIG_SCHEMAS;
type Json = Record<string, unknown>;

export { isSensitiveName, MASK };

export const SECRET_HEADER = 'header:';
export const SECRET_QUERY = 'query:';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_NAME = 200;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `name` is no secret this type of source holds; null when it is one. */
export function secretNameProblem(type: SourceType, name: string): string | null {
  const fixed: readonly string[] = SOURCE_SECRET_NAMES[type];
  if (fixed.includes(name)) return null;
  if (type === 'rest' && name.startsWith(SECRET_HEADER)) {
    const header = name.slice(SECRET_HEADER.length);
    return HEADER_NAME.test(header) && header.length <= MAX_NAME
      ? null
      : `"${header}" is not a header name: use letters, digits and - (such as X-Api-Key).`;
  }
  if (type === 'rest' && name.startsWith(SECRET_QUERY)) {
    const param = name.slice(SECRET_QUERY.length);
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    return param !== '' && param.length <= MAX_NAME && !/[\u0000-\u001f\u007f]/.test(param)
      ? null
      : 'A secret query parameter needs a name (such as query:token).';
  }
  const names = [...fixed, ...(type === 'rest' ? ['header:<name>', 'query:<name>'] : [])];
  return names.length === 0
    ? `A ${type} source has no secret called "${name}": it holds no secrets.`
    : `A ${type} source has no secret called "${name}": its secrets are ${names.join(', ')}.`;
}

/** Why a secret's value cannot be sent as it is; null when it can. */
export function secretValueProblem(name: string, value: string): string | null {
  // eslint-disable-next-line no-control-regex -- a header value cannot hold these
  if (name.startsWith(SECRET_HEADER) && /[\r\n\u0000]/.test(value))
    return `The value of the header "${name.slice(SECRET_HEADER.length)}" cannot hold a line break.`;
  return null;
}

const SECRET_LABELS: Record<string, string> = {
  apiKey: 'API key',
  token: 'token',
  password: 'password',
  clientSecret: 'client secret',
};

/** A secret's name in words: "token", "header X-Api-Key", "query parameter sig". */
export function secretLabel(name: string): string {
  if (name.startsWith(SECRET_HEADER)) return `header ${name.slice(SECRET_HEADER.length)}`;
  if (name.startsWith(SECRET_QUERY)) return `query parameter ${name.slice(SECRET_QUERY.length)}`;
  return SECRET_LABELS[name] ?? name;
}

/** Whether a secret is a header or query parameter of its own (not an authentication's). */
export const isSecretParam = (name: string) =>
  name.startsWith(SECRET_HEADER) || name.startsWith(SECRET_QUERY);

/** Whether two secret names name the same secret: header names regardless of case. */
export function sameSecret(a: string, b: string): boolean {
  if (a === b) return true;
  return a.startsWith(SECRET_HEADER) && b.startsWith(SECRET_HEADER) && a.toLowerCase() === b.toLowerCase();
}

/** The secret headers and query parameters among a REST source's secrets, by their names. */
export function secretParamsOf(secrets: Record<string, string>): {
  headers: Record<string, string>;
  query: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets)) {
    if (name.startsWith(SECRET_HEADER)) headers[name.slice(SECRET_HEADER.length)] = value;
    else if (name.startsWith(SECRET_QUERY)) query[name.slice(SECRET_QUERY.length)] = value;
  }
  return { headers, query };
}

function originOf(value: unknown): string {
  try {
    return new URL(String(value)).origin;
  } catch {
    return String(value);
  }
}

/**
 * Where this configuration sends the source's secrets: a REST source's origin (scheme, host and port)
 * and, for OAuth2, its token URL's; an SQL source's host and port.
 */
export function secretDestinations(type: SourceType, config: unknown): string[] {
  const c = isRecord(config) ? config : {};
  if (type === 'rest') {
    const auth = isRecord(c['auth']) ? c['auth'] : {};
    return [originOf(c['baseUrl']), ...(auth['type'] === 'oauth2' ? [originOf(auth['tokenUrl'])] : [])];
  }
  if (type === 'sql') {
    const host = typeof c['host'] === 'string' ? c['host'].trim().toLowerCase() : '';
    return [`${host}:${String(c['port'])}`];
  }
  return [];
}

/** Whether `after` would send the secrets somewhere `before` did not: they were given for `before`. */
export function addressChanged(type: SourceType, before: unknown, after: unknown): boolean {
  const known = new Set(secretDestinations(type, before));
  return secretDestinations(type, after).some((destination) => !known.has(destination));
}

/** A REST source's settings as answered: values of headers and query parameters named like secrets masked. */
export function maskedConfig<T>(type: SourceType, config: T): T {
  if (type !== 'rest' || !isRecord(config)) return config;
  const mask = (pairs: unknown) =>
    isRecord(pairs)
      ? Object.fromEntries(
          Object.entries(pairs).map(([name, value]) => [name, isSensitiveName(name) ? MASK : value]),
        )
      : pairs;
  const masked: Json = { ...config };
  if ('headers' in config) masked['headers'] = mask(config['headers']);
  if ('query' in config) masked['query'] = mask(config['query']);
  return masked as T;
}

type Place = 'headers' | 'query';

function refusal(place: Place, name: string, addressMoved: boolean): string {
  if (addressMoved)
    return place === 'headers'
      ? `Changing the address clears the saved value of the header "${name}": enter it again as a secret header (the secret "${SECRET_HEADER}${name}").`
      : `Changing the address clears the saved value of the query parameter "${name}": enter it again as a secret query parameter (the secret "${SECRET_QUERY}${name}").`;
  const shown = 'and settings are shown to everyone who may read this source';
  if (place === 'query')
    return (
      `The query parameter "${name}" looks like it carries a secret, ${shown}: put it in the secrets ` +
      `instead — API key authentication in the query parameter "${name}" (the key as the secret apiKey), ` +
      `or a secret query parameter (the secret "${SECRET_QUERY}${name}").`
    );
  if (name.toLowerCase() === 'authorization')
    return (
      `The header "${name}" carries credentials, ${shown}: choose them under authentication instead — ` +
      'bearer (the token as the secret token) or basic (the password as the secret password) — or keep ' +
      `the whole value as a secret header (the secret "${SECRET_HEADER}${name}").`
    );
  return (
    `The header "${name}" looks like it carries a secret, ${shown}: put it in the secrets instead — ` +
    `API key authentication in the header "${name}" (the key as the secret apiKey), or a secret header ` +
    `(the secret "${SECRET_HEADER}${name}").`
  );
}

export interface SettledSettings<T> {
  /** The settings to save: no header or query parameter named like a secret. */
  config: T;
  /** Values an earlier version saved in the settings, kept as the secrets they now are. */
  moved: Record<string, string>;
  /** What is refused, each at its field (`config.headers.X-Api-Key`). */
  issues: { field: string; message: string }[];
}

/**
 * Checks a REST source's settings on save: a header or query parameter named like a secret is refused,
 * saying where its value belongs. One exception keeps settings an earlier version saved working: the
 * mask sent back for a value `stored` still holds (a read answer saved again) keeps that value — moved
 * into the secrets, where it is encrypted and never answered. With `addressMoved`, a stored value is not
 * kept (it was given for the old address) and its mask is refused.
 */
export function settleSensitiveSettings<T extends Json>(
  config: T,
  stored: unknown,
  addressMoved: boolean,
): SettledSettings<T> {
  const old = isRecord(stored) ? stored : {};
  const moved: Record<string, string> = {};
  const issues: { field: string; message: string }[] = [];
  const next: Json = { ...config };
  for (const place of ['headers', 'query'] as const) {
    const pairs = config[place];
    if (!isRecord(pairs)) continue;
    const before = isRecord(old[place]) ? old[place] : {};
    const kept: Json = {};
    for (const [name, value] of Object.entries(pairs)) {
      if (!isSensitiveName(name)) {
        kept[name] = value;
        continue;
      }
      const storedValue =
        before[name] ??
        (place === 'headers'
          ? Object.entries(before).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1]
          : undefined);
      const keeps = value === MASK && typeof storedValue === 'string' && storedValue !== MASK;
      if (keeps && !addressMoved) {
        moved[`${place === 'headers' ? SECRET_HEADER : SECRET_QUERY}${name}`] = storedValue;
        continue;
      }
      issues.push({ field: `config.${place}.${name}`, message: refusal(place, name, keeps) });
    }
    next[place] = kept;
  }
  return { config: next as T, moved, issues };
}
