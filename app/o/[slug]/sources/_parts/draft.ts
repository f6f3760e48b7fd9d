// The source form's state: a draft per type, read from a saved source and turned back into the config
// the API validates. Secrets are not part of it: they are changes only (set, replace, remove).
import type { inferRouterOutputs } from '@trpc/server';
import type { SourceType } from '@/server/db/schema';
import { secretLabel } from '@/server/sync/config/source-secrets';
import type { AppRouter } from '@/server/trpc/root';

export type Source = inferRouterOutputs<AppRouter>['sources']['get'];
export type ListedSource = inferRouterOutputs<AppRouter>['sources']['list'][number];

export interface Pair {
  key: string;
  value: string;
}

/** A secret header or query parameter being added: saved as the secret `header:<name>` / `query:<name>`. */
export interface SecretPair {
  place: 'header' | 'query';
  name: string;
  value: string;
}

export const AUTH_TYPES = ['none', 'apiKey', 'bearer', 'basic', 'oauth2'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export interface Draft {
  name: string;
  enabled: boolean;
  rest: {
    baseUrl: string;
    headers: Pair[];
    query: Pair[];
    /** New secret headers and query parameters (write-only: never read back into the draft). */
    newSecrets: SecretPair[];
    timeoutSeconds: string;
    deadlineSeconds: string;
    /** Empty: no limit of Concord's own. */
    requestsPerSecond: string;
    maxConcurrency: string;
    auth: {
      type: AuthType;
      in: 'header' | 'query';
      name: string;
      username: string;
      tokenUrl: string;
      clientId: string;
      scope: string;
      audience: string;
    };
  };
  file: { format: 'csv' | 'json' | 'xml' };
  register: { registerId: string; schemaId: string };
  sql: {
    dialect: 'postgres' | 'mysql';
    host: string;
    port: string;
    database: string;
    user: string;
    ssl: boolean;
    timeoutSeconds: string;
  };
}

/** The one secret each authentication needs, with its label. */
export const AUTH_SECRET: Record<AuthType, { name: string; label: string } | null> = {
  none: null,
  apiKey: { name: 'apiKey', label: 'API key' },
  bearer: { name: 'token', label: 'Bearer token' },
  basic: { name: 'password', label: 'Password' },
  oauth2: { name: 'clientSecret', label: 'Client secret' },
};

type Loose = Record<string, unknown>;
const str = (value: unknown, fallback = '') => (typeof value === 'string' ? value : fallback);
const obj = (value: unknown): Loose => (value && typeof value === 'object' ? (value as Loose) : {});
const pairs = (value: unknown): Pair[] =>
  Object.entries(obj(value)).map(([key, v]) => ({ key, value: str(v) }));

export function draftOf(source: { name: string; enabled: boolean; config: unknown } | null): Draft {
  const c = obj(source?.config);
  const auth = obj(c['auth']);
  const authType = AUTH_TYPES.find((t) => t === auth['type']) ?? 'none';
  const timeout = typeof c['timeoutMs'] === 'number' ? c['timeoutMs'] / 1000 : 30;
  const rateLimit = obj(c['rateLimit']);
  const numberText = (value: unknown) => (typeof value === 'number' ? String(value) : '');
  return {
    name: source?.name ?? '',
    enabled: source?.enabled ?? true,
    rest: {
      baseUrl: str(c['baseUrl']),
      headers: pairs(c['headers']),
      query: pairs(c['query']),
      newSecrets: [],
      timeoutSeconds: String(timeout),
      deadlineSeconds: String(typeof c['deadlineMs'] === 'number' ? c['deadlineMs'] / 1000 : 60),
      requestsPerSecond: numberText(rateLimit['requestsPerSecond']),
      maxConcurrency: numberText(rateLimit['maxConcurrency']),
      auth: {
        type: authType,
        in: auth['in'] === 'query' ? 'query' : 'header',
        name: str(auth['name'], 'X-API-Key'),
        username: str(auth['username']),
        tokenUrl: str(auth['tokenUrl']),
        clientId: str(auth['clientId']),
        scope: str(auth['scope']),
        audience: str(auth['audience']),
      },
    },
    file: { format: c['format'] === 'json' || c['format'] === 'xml' ? c['format'] : 'csv' },
    register: { registerId: str(c['registerId']), schemaId: str(c['schemaId']) },
    sql: {
      dialect: c['dialect'] === 'mysql' ? 'mysql' : 'postgres',
      host: str(c['host']),
      port: typeof c['port'] === 'number' ? String(c['port']) : c['dialect'] === 'mysql' ? '3306' : '5432',
      database: str(c['database']),
      user: str(c['user']),
      ssl: c['ssl'] === true,
      timeoutSeconds: String(typeof c['timeoutMs'] === 'number' ? c['timeoutMs'] / 1000 : 60),
    },
  };
}

const record = (list: Pair[]) =>
  Object.fromEntries(list.filter((p) => p.key.trim() !== '').map((p) => [p.key.trim(), p.value]));

/** An empty field is left out; anything else goes to the API as typed, which names a bad value at its field. */
function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

function restAuth(a: Draft['rest']['auth']): Loose {
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  switch (a.type) {
    case 'none':
    case 'bearer':
      return { type: a.type };
    case 'apiKey':
      return { type: a.type, in: a.in, name: a.name.trim() };
    case 'basic':
      return { type: a.type, username: a.username.trim() };
    case 'oauth2':
      return {
        type: a.type,
        tokenUrl: a.tokenUrl.trim(),
        clientId: a.clientId.trim(),
        scope: optional(a.scope),
        audience: optional(a.audience),
      };
  }
}

/** The config to save. `previous` keeps what this form does not edit (a file source's CSV options). */
export function configOf(type: SourceType, draft: Draft, previous: unknown): Loose {
  switch (type) {
    case 'rest':
      return {
        baseUrl: draft.rest.baseUrl.trim(),
        headers: record(draft.rest.headers),
        query: record(draft.rest.query),
        timeoutMs: Math.round(Number(draft.rest.timeoutSeconds) * 1000),
        deadlineMs: Math.round(Number(draft.rest.deadlineSeconds) * 1000),
        auth: restAuth(draft.rest.auth),
        rateLimit: {
          requestsPerSecond: optionalNumber(draft.rest.requestsPerSecond),
          maxConcurrency: optionalNumber(draft.rest.maxConcurrency),
        },
      };
    case 'file':
      return { ...obj(previous), format: draft.file.format };
    case 'register':
      return { ...draft.register };
    case 'sql': {
      const { timeoutSeconds, ...sql } = draft.sql;
      return {
        ...sql,
        port: Number(sql.port),
        host: sql.host.trim(),
        timeoutMs: Math.round(Number(timeoutSeconds) * 1000),
      };
    }
  }
}

/** A row to save: a name and a value (a row still without its value stays in the form). */
export const isComplete = (row: SecretPair) => row.name.trim() !== '' && row.value !== '';

/** The secret changes of the secret headers and query parameters being added. */
export function newSecretChanges(rows: SecretPair[]): Record<string, string> {
  return Object.fromEntries(
    rows.filter(isComplete).map((row) => [`${row.place}:${row.name.trim()}`, row.value]),
  );
}

/** What the form says when the new address clears saved secrets (saving drops them); null when none. */
export function clearingNote(names: string[]): string | null {
  if (names.length === 0) return null;
  const labels = names.map(secretLabel);
  const list = labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
  return `Changing the address clears the saved ${list}: enter ${names.length === 1 ? 'it' : 'them'} again.`;
}
