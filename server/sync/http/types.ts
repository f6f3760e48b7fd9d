// The public shapes of the REST transport: what a caller asks for, how it authenticates, how it
// retries, and the result — always a value, never a thrown error, with a reason a person can act on.
import type { XmlOptions } from '@/server/sync/formats/xml';
import type { ResolveHost, UrlPolicy } from './guard';
import type { HostBudgets, HostLimits } from './host-budget';
import type { QueryParams } from './url';

export type AuthConfig =
  | { type: 'none' }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; value: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth2';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      audience?: string;
      /** How the client proves itself to the token endpoint (default: in the form body). */
      clientAuth?: 'body' | 'basic';
    };

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Sleeping across all retries of one request stops here; a longer Retry-After gives up at once. */
  maxTotalWaitMs: number;
  /** POST and PATCH are retried only on 429 and refused connections unless this is set: a repeat may duplicate. */
  retryUnsafeMethods: boolean;
}

export interface HttpRequest {
  /** An absolute URL used as is (a next link). Without it, `endpoint` is joined to the base URL. */
  url?: string;
  endpoint?: string;
  /** Values for `{{placeholders}}` in the endpoint. */
  record?: Record<string, unknown>;
  method?: string;
  headers?: Record<string, string>;
  /** Set on the URL, replacing a parameter of the same name. */
  query?: QueryParams;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** An empty answer is a failure for GET (a listing must not look empty by accident); allowed otherwise. */
  allowEmptyBody?: boolean;
  /** See ResponseHeadersHook. */
  onHeaders?: ResponseHeadersHook;
  /** See RetryHook. */
  onRetry?: RetryHook;
  /**
   * Sending this request twice does no harm although its method may not say so: a PATCH whose body is a
   * JSON merge patch. It is then retried after a 5xx or a lost connection like a PUT; without it POST
   * and PATCH are retried only on 429 and refused connections.
   * `'when-answered'`: a create (a POST with an Idempotency-Key, which many servers ignore) — retried
   * only after an answer saying it failed (500, 503, 408), never when it may have landed unseen: the
   * connection lost or the time up once it was sent, or a gateway's 502/504 (the server behind may have
   * made the object). Those stay failed; the create's intent makes the next run look before sending it
   * again (targets/create-intents.ts).
   */
  repeatable?: boolean | 'when-answered';
}

/**
 * Told the headers of a 2xx answer as soon as they arrive, before the body is read; `url` is the URL
 * that answered (after redirects). Read-ahead uses it to ask for the next page early. It must not throw
 * (what it throws is ignored) and it cannot change the answer.
 */
export type ResponseHeadersHook = (answer: { url: string; headers: Record<string, string> }) => void;

/** Why this request is sent again and after how long a wait; the reason has secrets masked. */
export interface RetryNotice {
  attempt: number;
  waitMs: number;
  reason: string;
  cause: 'rate-limit' | 'server' | 'network' | 'timeout';
  status?: number;
}

/** Told each retry of one request as it is decided (the run's timeline). It must not throw. */
export type RetryHook = (retry: RetryNotice) => void;

export type ResponseFormat = 'json' | 'xml' | 'text' | 'empty';

export interface HttpSuccess {
  ok: true;
  status: number;
  statusText: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: unknown;
  text: string;
  /** The body's bytes as they came, before decoding: equal bytes with equal headers make equal bodies. */
  bytes: Uint8Array;
  format: ResponseFormat;
  /** The URL finally answered (after redirects): the base for relative next links. Not for logs. */
  url: string;
  /** The same URL with secret-looking query parameters masked, for logs and messages. */
  displayUrl: string;
  attempts: number;
  /** A write answered by a redirect that turned it into a GET (RedirectedWrite). */
  redirectedWrite?: RedirectedWrite;
}

/**
 * A write (POST, PUT, PATCH, DELETE) the server answered with a redirect that turned it into a GET — a
 * 303, or a 301/302 after a POST — so what finally answered is the page redirected to, not the write.
 * Such a page can be the write's result (post/redirect/get), or a login page when the credentials are
 * no longer accepted: the write did not happen then, whatever 2xx the page came with.
 */
export interface RedirectedWrite {
  /** The redirect's status. */
  status: number;
  /** The write's method. */
  method: string;
}

/**
 * A 2xx answer whose body is not read yet (HttpClient.fetchUnread): everything but the parsed body, and
 * `read`, which parses it as `fetch` would have and answers what `fetch` would have answered.
 */
export interface HttpUnread extends Omit<HttpSuccess, 'body' | 'format'> {
  read(): HttpResult;
}

export type FailureKind =
  | 'invalid-request'
  | 'blocked'
  | 'network'
  | 'timeout'
  | 'http'
  | 'rate-limited'
  | 'auth'
  | 'empty-body'
  | 'unparseable'
  | 'too-large';

export interface HttpFailure {
  ok: false;
  kind: FailureKind;
  reason: string;
  status?: number;
  attempts: number;
  /**
   * A 2xx answer whose body could not be read (`empty-body`, `unparseable`): the server took the request,
   * so a write may have happened. Its content type and first characters (secrets masked), for a message.
   */
  unreadBody?: UnreadBody;
  /** A write answered by a redirect that turned it into a GET (RedirectedWrite). */
  redirectedWrite?: RedirectedWrite;
  /**
   * A lost connection or a timeout once the request had been sent (`network`, `timeout`): the server
   * reached, and a write may have happened there although no answer said so.
   */
  afterSending?: true;
}

/** What a server answered that Concord could not read: its content type (null: none) and first characters. */
export interface UnreadBody {
  contentType: string | null;
  start: string;
}

export type HttpResult = HttpSuccess | HttpFailure;

/** What pagination strategies take: fetch one absolute URL. */
export type FetchPage = (request: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  onHeaders?: ResponseHeadersHook;
  onRetry?: RetryHook;
}) => Promise<HttpResult>;

/** Reported as things happen, for the run log. Never contains secrets. */
export type HttpEvent =
  | { type: 'retry'; request: string; attempt: number; waitMs: number; reason: string }
  | { type: 'token'; tokenUrl: string; reason: 'first' | 'expired' | 'refused' };

/** Header and query parameter values that are secrets, by name. */
export interface SecretParams {
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

export interface HttpClientOptions {
  baseUrl?: string;
  headers?: Record<string, string>;
  /** Added where the URL does not already carry the parameter. */
  query?: QueryParams;
  /**
   * The budget of the base URL's host: requests per second and in flight, shared with every other client
   * of this process that talks to the same host (host-budget.ts); the strictest declaration applies.
   */
  rateLimit?: HostLimits;
  /** The budgets to take turns in; default: the process-wide ones (own ones when a test injects a clock). */
  hostBudgets?: HostBudgets;
  /** Sent to the base URL's origin only, so that a next link elsewhere never receives credentials. */
  auth?: AuthConfig;
  /**
   * A source's secret headers and query parameters (its `header:…` and `query:…` secrets): put on each
   * request as the authentication is — to the base URL's origin only, never into a URL a page, cursor
   * or message keeps — and masked in every message.
   */
  secretParams?: SecretParams;
  /** Waiting for response headers, and for each piece of the body (default 30 s). */
  timeoutMs?: number;
  /** The whole answer of one attempt, headers and body, however it trickles in (default 60 s). */
  deadlineMs?: number;
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  urlPolicy?: UrlPolicy;
  xml?: XmlOptions;
  onEvent?: (event: HttpEvent) => void;
  // Seams for tests: no real waiting, a controllable clock, deterministic jitter, any DNS answer.
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  resolve?: ResolveHost;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResult>;
  fetch: FetchPage;
  /** `fetch`, leaving the body unread until asked: its bytes may be enough (a page known by its digest). */
  fetchUnread(request: Parameters<FetchPage>[0]): Promise<HttpUnread | HttpFailure>;
  close(): Promise<void>;
}
