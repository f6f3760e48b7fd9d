// Where a source's secrets live and where they may go. Secrets are the source's `secrets` (encrypted,
// write-only: only their names come back); its settings are answered to everyone who may read the
// source, so a header or query parameter whose name looks secret is refused there and belongs in the
// secrets — an authentication's key or token, or a secret header or parameter of its own
// (`header:<name>`, `query:<name>`), which the HTTP client puts on each request to the API's origin.
// And a secret goes only where it went when it was given: settings that send the secrets to another
// address (a REST origin, an SQL host and port) drop the stored ones unless the same save gives them again.
// A synchronisation's own headers and query parameters (its `sourceConfig`) follow the same rule: a
// secret-looking one is refused there too and belongs in its source's secrets, which its requests carry
// (one an earlier version saved there is the synchronisation's own secret: config/sync-secrets.ts).
// Shared by the source and synchronisation services (saving and answering), the connection test of
// unsaved settings and the forms.
//
// Which names are refused is `isSecretSettingName`, a rule of whole words (`sort_key`, `author` and
// `keyword` are no secrets); the broader `isSensitiveName` (any `key`, `auth`… inside a name) stays what
// masks messages and logs, where masking too much costs nothing.
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

/** Words that name a secret wherever they stand in a name (`X-Auth-Token`, `sessionId`, `db_password`). */
const SECRET_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'credential',
  'credentials',
  'cookie',
  'authorization',
  'signature',
  'session',
  'sessionid',
  'apikey',
  'auth',
]);
/** What makes `key` a secret's name (`x-api-key`, `access_key`, `Ocp-Apim-Subscription-Key`), not `sort_key`. */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'secret',
  'client',
  'subscription',
  'license',
  'licence',
  'auth',
]);
/** One word that is a secret's name run together: `accesstoken`, `clientsecret`, `privatekey`. */
const SECRET_COMPOUND = new RegExp(
  `^(?:[a-z0-9]+(?:token|secret|password|passwd)|(?:${[...KEY_QUALIFIERS].join('|')})keys?)s?$`,
);

/** A name's words: split on -, _, ., spaces and camelCase (`XApiKey` → x, api, key), in lower case. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s._-]+/)
    .map((word) => word.toLowerCase())
    .filter((word) => word !== '');
}

/**
 * Whether a header or query parameter with this name carries a secret, so that it is refused in
 * settings and masked in their answers. Whole words count: token, secret, password, passwd, pwd,
 * credential(s), cookie, authorization, signature, session, sessionid, apikey, auth (each also as the
 * end of one run-together word: `accesstoken`, with a plural s); `key` only alone or beside api,
 * access, private, secret, client, subscription, license or auth. Narrower than `isSensitiveName`
 * (which masks messages), so `author`, `keyword`, `sort_key` and `monkey` are ordinary settings.
 */
export function isSecretSettingName(name: string): boolean {
  const words = nameWords(name);
  if (words.some((word) => SECRET_WORDS.has(word) || SECRET_WORDS.has(word.replace(/s$/, '')))) return true;
  if (words.some((word) => SECRET_COMPOUND.test(word))) return true;
  const keys = words.filter((word) => word === 'key' || word === 'keys');
  if (keys.length === 0) return false;
  return words.length === keys.length || words.some((word) => KEY_QUALIFIERS.has(word));
}

/**
 * The query parameters named like secrets in an address as typed (a base URL, or an endpoint such as
 * `/people?api_key=…`): saved there, the value would be kept in plain text and answered to every reader.
 */
export function secretParamsInAddress(address: unknown): string[] {
  if (typeof address !== 'string') return [];
  const query = address.split('#')[0]!.split('?').slice(1).join('?');
  if (!query) return [];
  return [...new Set([...new URLSearchParams(query).keys()].filter(isSecretSettingName))];
}

/**
 * Whether an address as typed holds a user name or password (`https://ada:…@host`): saved there, the
 * password would be kept in plain text and answered to every reader, and no request could use it (the
 * URL guard refuses credentials in URLs).
 */
export function credentialsInAddress(address: unknown): boolean {
  if (typeof address !== 'string' || !URL.canParse(address)) return false;
  const url = new URL(address);
  return url.username !== '' || url.password !== '';
}

/** Why a login in a source's base URL or OAuth2 token URL is refused: the fields where it belongs. */
export const ADDRESS_CREDENTIALS_REFUSAL = {
  baseUrl:
    'The base URL holds a user name or password, and settings are shown to everyone who may read this ' +
    'source: take them out of the URL and choose basic authentication (the user name in its settings, ' +
    'the password as the secret password).',
  tokenUrl:
    'The token URL holds a user name or password, and settings are shown to everyone who may read this ' +
    'source: take them out of the URL and give the client id and secret in the OAuth2 settings (the ' +
    'secret as the secret clientSecret), which are sent to the token URL.',
};

/** Why a secret query parameter in a source's base URL or a synchronisation's endpoint is refused. */
export function addressSecretRefusal(name: string, owner: SettingsOwner): string {
  if (owner === 'source')
    return (
      `The base URL's query parameter "${name}" looks like it carries a secret, and settings are shown to ` +
      `everyone who may read this source: take it out of the URL and put it in the secrets — API key ` +
      `authentication in the query parameter "${name}" (the key as the secret apiKey), or a secret query ` +
      `parameter (the secret "${SECRET_QUERY}${name}").`
    );
  return (
    `The endpoint's query parameter "${name}" looks like it carries a secret, and a synchronisation's ` +
    `settings are shown to everyone who may read it: take it out of the endpoint and give it to the source ` +
    `instead — its authentication (API key in the query parameter "${name}") or a secret query parameter ` +
    `of the source (its secret "${SECRET_QUERY}${name}"), which is sent with this synchronisation's requests too.`
  );
}

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

/** A URL's origin (scheme, host and port); text that is no URL stands for itself. */
export function originOf(value: unknown): string {
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
    const server = `${host}:${String(c['port'])}`;
    // Without TLS the password crosses the network readable: a password given for a TLS connection is
    // not given for that (turning TLS off drops it), one given without TLS is for TLS too.
    return c['ssl'] === true ? [`${server}/tls`] : [`${server}/plain`, `${server}/tls`];
  }
  return [];
}

/** Whether `after` would send the secrets somewhere `before` did not: they were given for `before`. */
export function addressChanged(type: SourceType, before: unknown, after: unknown): boolean {
  const known = new Set(secretDestinations(type, before));
  return secretDestinations(type, after).some((destination) => !known.has(destination));
}

/**
 * Settings with `headers` and `query` as answered: the values of those named like secrets masked (a
 * source's or a synchronisation's settings an earlier version saved with one).
 */
export function maskedParams<T>(config: T): T {
  if (!isRecord(config)) return config;
  const mask = (pairs: unknown) =>
    isRecord(pairs)
      ? Object.fromEntries(
          Object.entries(pairs).map(([name, value]) => [name, isSecretSettingName(name) ? MASK : value]),
        )
      : pairs;
  const masked: Json = { ...config };
  if ('headers' in config) masked['headers'] = mask(config['headers']);
  if ('query' in config) masked['query'] = mask(config['query']);
  return masked as T;
}

/** A REST source's settings as answered: values of headers and query parameters named like secrets masked. */
export function maskedConfig<T>(type: SourceType, config: T): T {
  return type === 'rest' ? maskedParams(config) : config;
}

type Place = 'headers' | 'query';
/** Whose settings are checked: a source's (`config.…`) or a synchronisation's (`sourceConfig.…`). */
export type SettingsOwner = 'source' | 'synchronisation';

function refusal(place: Place, name: string, addressMoved: boolean, owner: SettingsOwner): string {
  if (owner === 'synchronisation') return syncRefusal(place, name, addressMoved);
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

/** Where a synchronisation's secret header or query parameter belongs: its source's secrets. */
function syncRefusal(place: Place, name: string, sourceChanged: boolean): string {
  const secret = place === 'headers' ? `${SECRET_HEADER}${name}` : `${SECRET_QUERY}${name}`;
  const kind = place === 'headers' ? 'header' : 'query parameter';
  const asSecret = `a secret ${kind} of the source (its secret "${secret}"), which is sent with this synchronisation's requests too`;
  if (sourceChanged)
    return `Choosing another source clears the saved value of the ${kind} "${name}": give it to the new source instead, as ${asSecret}.`;
  const shown = "and a synchronisation's settings are shown to everyone who may read it";
  if (place === 'headers' && name.toLowerCase() === 'authorization')
    return (
      `The header "${name}" carries credentials, ${shown}: give them to the source instead — its ` +
      `authentication (bearer or basic) or ${asSecret}.`
    );
  return (
    `The ${kind} "${name}" looks like it carries a secret, ${shown}: give it to the source instead — ` +
    `its authentication (API key in the ${kind} "${name}") or ${asSecret}.`
  );
}

export interface SettledSettings<T> {
  /** The settings to save: no header or query parameter named like a secret. */
  config: T;
  /** Values an earlier version saved in the settings, kept as the secrets they now are. */
  moved: Record<string, string>;
  /** What is refused, each at its field (`config.headers.X-Api-Key`, `sourceConfig.query.token`). */
  issues: { field: string; message: string }[];
}

/**
 * Checks a REST source's settings on save: a header or query parameter named like a secret is refused,
 * saying where its value belongs. One exception keeps settings an earlier version saved working: the
 * mask sent back for a value `stored` still holds (a read answer saved again) keeps that value — moved
 * into the secrets, where it is encrypted and never answered. With `addressMoved`, a stored value is not
 * kept (it was given for the old address) and its mask is refused. `owner` says whose settings they are:
 * a synchronisation's problems are at `sourceConfig.…` and point to its source's secrets.
 */
export function settleSensitiveSettings<T extends Json>(
  config: T,
  stored: unknown,
  addressMoved: boolean,
  owner: SettingsOwner = 'source',
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
      if (!isSecretSettingName(name)) {
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
      const prefix = owner === 'source' ? 'config' : 'sourceConfig';
      issues.push({ field: `${prefix}.${place}.${name}`, message: refusal(place, name, keeps, owner) });
    }
    next[place] = kept;
  }
  return { config: next as T, moved, issues };
}
