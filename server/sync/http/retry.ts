// When to try a request again and how long to wait: exponential backoff with full jitter for errors
// and 5xx; the server's own word (Retry-After, X-RateLimit-Reset) for 429; and a total-wait budget.
import type { RetryPolicy } from './types';
import type { WireOutcome } from './transport';

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 120_000,
  retryUnsafeMethods: false,
};

export type RetryDecision = { retry: true; waitMs: number; why: string } | { retry: false; note?: string };

export interface RetryState {
  method: string;
  /** The caller vouches that sending this request twice does no harm (see HttpRequest.repeatable). */
  repeatable?: boolean | 'when-answered';
  attempt: number;
  waitedMs: number;
}

export function decideRetry(
  outcome: WireOutcome,
  state: RetryState,
  policy: RetryPolicy,
  clock: { now: () => number; random: () => number },
): RetryDecision {
  const wanted = wantedWait(outcome, state, policy, clock);
  if (!wanted) return { retry: false };
  if (state.attempt >= policy.maxAttempts) return { retry: false };
  const left = policy.maxTotalWaitMs - state.waitedMs;
  if (wanted.waitMs <= left) return { retry: true, waitMs: wanted.waitMs, why: wanted.why };
  if (wanted.fromServer) {
    // Waiting less than the server asked would only earn another 429.
    const note = `the server asked to wait ${seconds(wanted.waitMs)}, more than the ${seconds(left)} left of the ${seconds(policy.maxTotalWaitMs)} retry budget, so Concord stopped`;
    return { retry: false, note };
  }
  // Our own backoff may be shortened to what is left of the budget.
  if (left >= policy.baseDelayMs) return { retry: true, waitMs: left, why: wanted.why };
  return { retry: false, note: `the ${seconds(policy.maxTotalWaitMs)} retry budget is used up` };
}

type Wanted = { waitMs: number; fromServer: boolean; why: string } | undefined;

function wantedWait(
  outcome: WireOutcome,
  state: RetryState,
  policy: RetryPolicy,
  clock: { now: () => number; random: () => number },
): Wanted {
  const backoff = (why: string): Wanted => ({
    waitMs: backoffDelay(state.attempt, policy, clock.random),
    fromServer: false,
    why,
  });
  const mayRepeat = policy.retryUnsafeMethods || state.repeatable === true || isIdempotent(state.method);
  if (outcome.kind === 'error') {
    if (outcome.cause === 'blocked' || outcome.cause === 'too-large') return undefined;
    // Slow once may be a bad moment; slow twice in a row is how this source answers.
    if (outcome.deadline && state.attempt >= 2) return undefined;
    // A refused connection never reached the server, so even a POST is safe to send again.
    if (!mayRepeat && !outcome.beforeSending) return undefined;
    return backoff(outcome.message);
  }
  const { status } = outcome;
  if (status === 429 || status === 503) {
    const asked = serverWaitMs(outcome.headers, clock.now());
    if (asked !== undefined)
      return { waitMs: asked, fromServer: true, why: `${status} ${outcome.statusText}` };
    if (status === 429) return backoff(`${status} ${outcome.statusText}`);
  }
  if ((status >= 500 || status === 408) && mayRepeat) return backoff(`${status} ${outcome.statusText}`);
  // A create the server said it failed is sent again; one a gateway lost track of may have been made.
  if (state.repeatable === 'when-answered' && (status === 500 || status === 503 || status === 408))
    return backoff(`${status} ${outcome.statusText}`);
  return undefined;
}

/** Full jitter: a random wait between 0 and the exponential ceiling for this attempt. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * The wait a server asks for: Retry-After in seconds or as an HTTP date, else the reset of its rate-limit
 * window (RateLimit-Reset, the draft's combined `RateLimit: …, reset=N`, X-RateLimit-Reset).
 */
export function serverWaitMs(headers: Record<string, string>, now: number): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return rateLimitWindow(headers, now)?.resetMs;
}

/**
 * How long the host has no requests left for, when an answer (any answer, a 2xx too) says its window is
 * spent: remaining 0 with a reset. Every request to the host then waits (host-budget.ts), instead of
 * each earning its own 429.
 */
export function exhaustedForMs(headers: Record<string, string>, now: number): number | undefined {
  const window = rateLimitWindow(headers, now);
  return window?.remaining === 0 ? window.resetMs : undefined;
}

/**
 * The IETF draft's `RateLimit-Remaining`/`RateLimit-Reset` (reset in seconds from now), its later combined
 * field (`RateLimit: limit=10, remaining=0, reset=5`, or `"policy";r=0;t=5`), and the older
 * `X-RateLimit-*` (reset as epoch seconds, or as seconds from now: APIs differ).
 */
function rateLimitWindow(
  headers: Record<string, string>,
  now: number,
): { remaining?: number; resetMs: number } | undefined {
  const combined = headers['ratelimit'];
  const param = (names: string) =>
    combined ? new RegExp(`(?:^|[\\s,;])(?:${names})=(\\d+(?:\\.\\d+)?)`).exec(combined)?.[1] : undefined;
  const candidates: [string | undefined, string | undefined][] = [
    [headers['ratelimit-reset'], headers['ratelimit-remaining']],
    [param('reset|t'), param('remaining|r')],
    [headers['x-ratelimit-reset'], headers['x-ratelimit-remaining']],
  ];
  for (const [reset, remaining] of candidates) {
    const resetMs = resetWaitMs(reset, now);
    if (resetMs === undefined) continue;
    const left = remaining?.trim();
    return left && /^\d+$/.test(left) ? { remaining: Number(left), resetMs } : { resetMs };
  }
  return undefined;
}

function resetWaitMs(reset: string | undefined, now: number): number | undefined {
  const text = reset?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  // Anything after 2001-09-09 as epoch seconds is a timestamp; no API asks for a 31-year wait.
  if (value > 1e9) return Math.max(0, Math.ceil(value * 1000 - now));
  return Math.ceil(value * 1000);
}

export function isIdempotent(method: string): boolean {
  return ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].includes(method.toUpperCase());
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
