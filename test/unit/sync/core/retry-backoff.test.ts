// The waits between a push's attempts: growing, then the last one repeating; and the environment's
// setting read into them, or refused with a sentence.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_DELAYS_MS, parseRetryDelays, retryDelayMs } from '@/server/sync/core/retry-backoff';
import { parseEnv } from '@/server/env';

const MINUTE = 60_000;

describe('retryDelayMs', () => {
  it('waits 1, 5, 15 minutes, then an hour each time', () => {
    expect([1, 2, 3, 4, 5, 50].map((failed) => retryDelayMs(failed) / MINUTE)).toEqual([
      1, 5, 15, 60, 60, 60,
    ]);
  });

  it('repeats the last of the delays it is given', () => {
    expect([1, 2, 3].map((failed) => retryDelayMs(failed, [100, 200]))).toEqual([100, 200, 200]);
    expect(retryDelayMs(0, [100, 200])).toBe(100);
  });
});

describe('CONCORD_PUSH_RETRY_DELAYS_MS', () => {
  it('is the default schedule when unset', () => {
    expect(parseEnv({}).CONCORD_PUSH_RETRY_DELAYS_MS).toEqual(DEFAULT_RETRY_DELAYS_MS);
  });

  it('reads milliseconds separated by commas', () => {
    expect(
      parseEnv({ CONCORD_PUSH_RETRY_DELAYS_MS: '1000, 5000,5000' }).CONCORD_PUSH_RETRY_DELAYS_MS,
    ).toEqual([1000, 5000, 5000]);
  });

  it('refuses what is not a list of growing delays, saying what it wants', () => {
    expect(parseRetryDelays('1m,5m')).toMatch(/whole numbers of milliseconds/);
    expect(parseRetryDelays('1000,,2000')).toMatch(/whole numbers of milliseconds/);
    expect(parseRetryDelays('-1')).toMatch(/between 0 and 86400000/);
    expect(parseRetryDelays('5000,1000')).toMatch(/must not get shorter/);
    expect(() => parseEnv({ CONCORD_PUSH_RETRY_DELAYS_MS: 'soon' })).toThrow(
      /CONCORD_PUSH_RETRY_DELAYS_MS must be whole numbers/,
    );
  });
});
