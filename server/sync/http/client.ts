// The REST client sources and targets use: builds the request, checks the URL, authenticates, retries,
// follows redirects and reads the body — and answers with a value whose reason a person can act on.
import { Agent } from 'undici';
import { createAuthorizer, withSecretParams, type Authorizer } from './auth';
import { checkUrl, guardedLookup, systemResolver } from './guard';
import { Redactor, isSensitiveName } from './redact';
import { sharedHostBudgets, HostBudgets } from './host-budget';
import { decideRetry, DEFAULT_RETRY, exhaustedForMs, serverWaitMs, type RetryDecision } from './retry';
import { answer, type Finished } from './finish';
import { exchange, type WireOutcome, type WireRequest } from './transport';
import type {
  HttpClient,
  HttpClientOptions,
  HttpFailure,
  HttpRequest,
  HttpResult,
  HttpUnread,
  RedirectedWrite,
  RetryNotice,
} from './types';
import { buildUrl, parseUrl } from './url';

const DEFAULT_HEADERS: Record<string, string> = {
  accept: 'application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  'user-agent': 'Concord',
};
const MAX_REDIRECTS = 5;
/** The whole answer to one attempt (headers and body) must arrive within this by default. */
export const DEFAULT_DEADLINE_MS = 60_000;

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const urlPolicy = options.urlPolicy ?? { allowPrivateNetworks: false };
  const resolve = options.resolve ?? systemResolver;
  const clock = { now: options.now ?? Date.now, random: options.random ?? Math.random };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const limits = {
    timeoutMs: options.timeoutMs ?? 30_000,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    maxResponseBytes: options.maxResponseBytes ?? 50 << 20,
  };
  // Every connection resolves its host again through the guard: the address used is the address checked.
  const dispatcher = new Agent({
    connect: { lookup: guardedLookup(urlPolicy, resolve), timeout: limits.timeoutMs },
    headersTimeout: limits.timeoutMs,
    bodyTimeout: limits.timeoutMs,
  });
  const auth = options.auth;
  const secretQueryNames = Object.keys(options.secretParams?.query ?? {});
  const redactor = new Redactor(
    new Set([...(auth?.type === 'apiKey' && auth.in === 'query' ? [auth.name] : []), ...secretQueryNames]),
  );
  redactor.addHeaders(options.headers);
  const baseUrl = options.baseUrl ? parseUrl(options.baseUrl) : undefined;
  const baseOrigin = baseUrl?.origin;
  // A test that controls time gets budgets of its own on its clock (the shared ones would wait in real
  // time) that pace but never pause: there the retry's own (recorded) sleep stands for the host's pause.
  const ownClock = !options.hostBudgets && Boolean(options.sleep || options.now);
  const budgets =
    options.hostBudgets ?? (ownClock ? new HostBudgets({ now: clock.now, sleep }) : sharedHostBudgets);
  const undeclare =
    baseUrl && options.rateLimit ? budgets.declare(baseUrl.host, options.rateLimit) : () => {};
  const authorizer = withSecretParams(
    createAuthorizer(auth, {
      redactor,
      now: clock.now,
      onEvent: options.onEvent,
      post: async (url, form, headers) => {
        const parsed = parseUrl(url);
        if (!parsed) return failure('invalid-request', `The token URL "${url}" is not valid.`);
        const answered = await execute(
          {
            url: parsed,
            method: 'POST',
            headers: { ...DEFAULT_HEADERS, ...headers },
            body: form,
            secretBody: true,
          },
          false,
        );
        return answered.ok ? answered.read() : answered;
      },
    }),
    options.secretParams,
    redactor,
  );

  let closing: Promise<void> | undefined;

  async function send(request: HttpRequest): Promise<HttpResult> {
    const answered = await sendUnread(request);
    return answered.ok ? answered.read() : answered;
  }

  async function sendUnread(request: HttpRequest): Promise<HttpUnread | HttpFailure> {
    const method = (request.method ?? 'GET').toUpperCase();
    const built = buildUrl({
      baseUrl: options.baseUrl,
      endpoint: request.endpoint,
      url: request.url,
      record: request.record,
      defaultQuery: options.query,
      query: request.query,
    });
    if (!built.ok)
      return failure('invalid-request', redactor.text(`The ${method} request was not sent: ${built.reason}`));
    redactor.addHeaders(request.headers);
    const headers = { ...DEFAULT_HEADERS, ...lowerKeys(options.headers), ...lowerKeys(request.headers) };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      headers['content-type'] ??=
        typeof request.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
    }
    return execute(
      {
        url: built.url,
        method,
        headers,
        body,
        onHeaders: request.onHeaders,
        onRetry: request.onRetry,
        repeatable: request.repeatable,
      },
      true,
      request.allowEmptyBody ?? method !== 'GET',
    );
  }

  // Redirects and the one retry after a refused OAuth2 token each start a fresh round of attempts.
  async function execute(
    first: WireRequest,
    authorize: boolean,
    allowEmptyBody = false,
  ): Promise<HttpUnread | HttpFailure> {
    let wire = first;
    let attempts = 0;
    let redirects = 0;
    let renewedToken = false;
    let redirectedWrite: RedirectedWrite | undefined;
    for (;;) {
      const label = `${wire.method} ${redactor.url(wire.url)}`;
      const check = await checkUrl(wire.url, urlPolicy, resolve);
      if (!check.ok)
        return failure('blocked', redactor.text(`${label} was not sent: ${check.reason}`), attempts);
      // Credentials go only to the configured API, never to another origin a link or redirect points at.
      const mayAuthorize = authorize && (!baseOrigin || wire.url.origin === baseOrigin);
      const round = await attemptWithRetries(wire, label, mayAuthorize ? authorizer : undefined);
      attempts += round.attempts;
      if ('authFailure' in round) return failure('auth', redactor.text(round.authFailure), attempts);
      const { outcome } = round;
      if (outcome.kind === 'response' && outcome.status === 401 && mayAuthorize && !renewedToken) {
        renewedToken = true;
        if (authorizer.refused(round.token)) continue;
      }
      const next =
        outcome.kind === 'response' && redirects < MAX_REDIRECTS ? redirectOf(wire, outcome) : undefined;
      if (next?.body !== undefined && next.secretBody && next.url.origin !== wire.url.origin)
        return failure(
          'blocked',
          redactor.text(
            `${label} was redirected to another origin (${next.url.origin}); the client secret is not sent there. If that is the token endpoint, set the token URL to it.`,
          ),
          attempts,
        );
      if (next) {
        redirects++;
        if (next.method === 'GET' && wire.method !== 'GET' && outcome.kind === 'response')
          redirectedWrite ??= { status: outcome.status, method: wire.method };
        wire = next;
        continue;
      }
      const url = wire.url.toString();
      const done: Finished = {
        outcome,
        note: round.note,
        attempts,
        label,
        url,
        displayUrl: redactor.url(url),
        ...(redirectedWrite ? { redirectedWrite } : {}),
      };
      return answer(done, { allowEmptyBody, xml: options.xml, redact: (text) => redactor.text(text) });
    }
  }

  type Round =
    | { outcome: WireOutcome; attempts: number; note?: string; token?: string }
    | { authFailure: string; attempts: number };

  async function attemptWithRetries(
    wire: WireRequest,
    label: string,
    auth: Authorizer | undefined,
  ): Promise<Round> {
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      // Authenticate each attempt: an OAuth2 token may expire during a long backoff.
      const authorized = auth ? await auth.apply(wire) : { ok: true as const, wire };
      if (!authorized.ok) return { authFailure: authorized.reason, attempts: attempt - 1 };
      const host = wire.url.host;
      const release = await budgets.acquire(host);
      let outcome: WireOutcome;
      try {
        outcome = await exchange(dispatcher, authorized.wire, limits);
      } finally {
        release();
      }
      const state = { method: wire.method, repeatable: wire.repeatable, attempt, waitedMs };
      const decision = decideRetry(outcome, state, retry, clock);
      pauseHost(host, outcome, decision);
      if (!decision.retry)
        return { outcome, attempts: attempt, note: decision.note, token: authorized.token };
      const reason = redactor.text(decision.why);
      options.onEvent?.({ type: 'retry', request: label, attempt, waitMs: decision.waitMs, reason });
      try {
        wire.onRetry?.({ attempt, waitMs: decision.waitMs, reason, ...retryCause(outcome) });
      } catch {
        // A hook only watches; what it throws never changes the request.
      }
      await sleep(decision.waitMs);
      waitedMs += decision.waitMs;
    }
  }

  // The host said to hold off: every request to it waits, not only this one's retry. Capped at the retry
  // budget: a request that would wait longer fails now with the server's reason rather than hang.
  function pauseHost(host: string, outcome: WireOutcome, decision: RetryDecision): void {
    if (outcome.kind !== 'response' || ownClock) return;
    const now = clock.now();
    let waitMs = exhaustedForMs(outcome.headers, now) ?? 0;
    if (outcome.status === 429 || outcome.status === 503) {
      const asked = serverWaitMs(outcome.headers, now);
      const backoff = outcome.status === 429 && decision.retry ? decision.waitMs : 0;
      waitMs = Math.max(waitMs, asked ?? backoff);
    }
    budgets.pause(host, Math.min(waitMs, retry.maxTotalWaitMs));
  }

  return {
    send,
    fetch: (request) => send(pageRequest(request)),
    fetchUnread: (request) => sendUnread(pageRequest(request)),
    // Idempotent: a source and its test may both close the client.
    close: () => {
      undeclare();
      return (closing ??= dispatcher.close());
    },
  };
}

function pageRequest(request: Parameters<HttpClient['fetch']>[0]): HttpRequest {
  return {
    url: request.url,
    method: request.method,
    headers: request.headers,
    body: request.body,
    onHeaders: request.onHeaders,
    onRetry: request.onRetry,
  };
}

// 303 (and 301/302 after a POST, as browsers do) turn into a GET; secrets in headers stay on their origin.
function redirectOf(
  wire: WireRequest,
  outcome: Extract<WireOutcome, { kind: 'response' }>,
): WireRequest | undefined {
  if (![301, 302, 303, 307, 308].includes(outcome.status) || !outcome.headers.location) return undefined;
  const url = parseUrl(outcome.headers.location, wire.url);
  if (!url) return undefined;
  const toGet = outcome.status === 303 || (outcome.status <= 302 && wire.method === 'POST');
  const headers = Object.fromEntries(
    Object.entries(wire.headers).filter(
      ([name]) =>
        !(url.origin !== wire.url.origin && isSensitiveName(name)) && !(toGet && name === 'content-type'),
    ),
  );
  return {
    url,
    method: toGet ? 'GET' : wire.method,
    headers,
    body: toGet ? undefined : wire.body,
    onHeaders: wire.onHeaders,
    onRetry: wire.onRetry,
    repeatable: wire.repeatable,
    secretBody: wire.secretBody,
  };
}

/** What a retried attempt ran into, in the classes the run's timeline shows. */
function retryCause(outcome: WireOutcome): Pick<RetryNotice, 'cause' | 'status'> {
  if (outcome.kind === 'error') return { cause: outcome.cause === 'timeout' ? 'timeout' : 'network' };
  const { status } = outcome;
  const limited =
    status === 429 || (status === 503 && serverWaitMs(outcome.headers, Date.now()) !== undefined);
  return { cause: limited ? 'rate-limit' : 'server', status };
}

function failure(kind: HttpFailure['kind'], reason: string, attempts = 0): HttpFailure {
  return { ok: false, kind, reason, attempts };
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}
