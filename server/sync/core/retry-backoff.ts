// When a push that did not get through is tried again: after 1 minute, then 5, 15, and every hour from
// then on, for as long as the object waits (a hub delivers "at least once, eventually": a target down
// for a weekend gets its changes on Monday without a person). The delays may be set
// (CONCORD_PUSH_RETRY_DELAYS_MS); the last one repeats.

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];

/** The wait before attempt `failed + 1`, after `failed` attempts failed (1 or more). */
export function retryDelayMs(failed: number, delays: readonly number[] = DEFAULT_RETRY_DELAYS_MS): number {
  const schedule = delays.length > 0 ? delays : DEFAULT_RETRY_DELAYS_MS;
  const index = Math.min(Math.max(1, Math.floor(failed)), schedule.length) - 1;
  return schedule[index]!;
}

/**
 * The delays as the environment gives them: milliseconds separated by commas, each at least 0 and at
 * most a day, increasing or equal. An error sentence otherwise.
 */
export function parseRetryDelays(text: string): readonly number[] | string {
  const parts = text.split(',').map((part) => part.trim());
  const delays = parts.map(Number);
  if (parts.some((part) => part === '') || delays.some((d) => !Number.isInteger(d)))
    return 'must be whole numbers of milliseconds separated by commas, such as 60000,300000,900000,3600000';
  if (delays.some((d) => d < 0 || d > 86_400_000))
    return 'each delay must be between 0 and 86400000 milliseconds (a day)';
  if (delays.some((d, i) => i > 0 && d < delays[i - 1]!))
    return 'the delays must not get shorter: each is at least the one before';
  return delays;
}
