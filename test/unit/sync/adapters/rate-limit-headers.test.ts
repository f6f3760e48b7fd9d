// What a server says about its rate limit: the wait a 429 asks for, and a window spent (remaining 0)
// that holds the host even on a 2xx — in the IETF draft's headers, its combined field and X-RateLimit-*.
import { describe, expect, it } from 'vitest';
import { exhaustedForMs, serverWaitMs } from '@/server/sync/http/retry';

const now = Date.parse('2024-05-01T12:00:00Z');

describe('rate-limit headers', () => {
  it.each([
    ['RateLimit-Remaining/Reset', { 'ratelimit-remaining': '0', 'ratelimit-reset': '3' }, 3000],
    ['the combined RateLimit field', { ratelimit: 'limit=10, remaining=0, reset=2' }, 2000],
    ['the structured RateLimit field', { ratelimit: '"default";r=0;t=4' }, 4000],
    ['X-RateLimit-* with a delta', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1.5' }, 1500],
    [
      'X-RateLimit-* with epoch seconds',
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 9) },
      9000,
    ],
  ])('reads a spent window from %s', (_name, headers, expected) => {
    expect(exhaustedForMs(headers, now)).toBe(expected);
  });

  it.each([
    ['requests left', { 'ratelimit-remaining': '3', 'ratelimit-reset': '3' }],
    ['no reset', { 'ratelimit-remaining': '0' }],
    ['a combined field with requests left', { ratelimit: 'limit=10, remaining=7, reset=2' }],
    ['no headers', {}],
  ])('holds nothing with %s', (_name, headers) => {
    expect(exhaustedForMs(headers, now)).toBeUndefined();
  });

  it('asks a 429 to wait for Retry-After first, else the window reset', () => {
    expect(serverWaitMs({ 'retry-after': '2', 'ratelimit-reset': '9' }, now)).toBe(2000);
    expect(serverWaitMs({ 'ratelimit-reset': '9' }, now)).toBe(9000);
    expect(serverWaitMs({ ratelimit: 'limit=5, remaining=0, reset=6' }, now)).toBe(6000);
    expect(serverWaitMs({}, now)).toBeUndefined();
  });
});
