// Runs one request per object of a batch with bounded concurrency, and tells an outage (the target
// never answered at all) from refusals of single objects, which are per-object results.
import type { HttpResult } from '../http';

/** Failures that say nothing about the object: the target could not be reached. */
const UNREACHABLE = new Set(['network', 'timeout']);

export interface BatchOutcome<R> {
  /** In batch order; an object not sent because the target was unreachable has `notSent`. */
  readonly results: readonly ({ readonly result: R } | { readonly notSent: string })[];
  /** Set when no request reached the target (none answered, none went out) and one failed: an outage. */
  readonly outage: string | null;
}

/**
 * Sends `send(item)` for every item, at most `concurrency` at a time. Once a request fails to reach
 * the target before any request has been answered, the rest are not sent: retrying each against a
 * host that is down would only burn the retry budget once per object.
 */
export async function runBatch<T, R>(
  items: readonly T[],
  concurrency: number,
  send: (item: T) => Promise<{ result: R; http: HttpResult | null }>,
): Promise<BatchOutcome<R>> {
  const results = new Array<{ result: R } | { notSent: string }>(items.length);
  let answered = false;
  let unreachable: string | null = null;
  let next = 0;

  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      if (unreachable !== null && !answered) {
        results[index] = { notSent: unreachable };
        continue;
      }
      const { result, http } = await send(items[index] as T);
      results[index] = { result };
      // A request that went out before its connection broke reached the target: no outage, and its
      // object's result says it may have been written.
      if (http && (http.ok || http.status !== undefined || http.afterSending)) answered = true;
      else if (http && !http.ok && UNREACHABLE.has(http.kind)) unreachable ??= http.reason;
    }
  }

  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  return { results, outage: !answered && unreachable !== null ? unreachable : null };
}
