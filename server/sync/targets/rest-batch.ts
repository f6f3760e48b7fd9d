// Runs one request per object of a batch with bounded concurrency, and tells an outage (the target
// never answered at all) and refused credentials (it answered 401) from refusals of single objects,
// which are per-object results.
import type { HttpResult } from '../http';
import type { TargetRefusal } from '../ports';
import { ExplainedStop } from '../stop';
import { refusedCredentials } from './rest-refusal';

/** Failures that say nothing about the object: the target could not be reached. */
const UNREACHABLE = new Set(['network', 'timeout']);

export interface BatchOutcome<R> {
  /**
   * In batch order; an object not sent because the target was unreachable or refused Concord's
   * credentials has `notSent`: why, in words.
   */
  readonly results: readonly ({ readonly result: R } | { readonly notSent: string })[];
  /** Set when no request reached the target (none answered, none went out) and one failed: an outage. */
  readonly outage: string | null;
  /** Set when a request's credentials were refused and no request of the batch was written. */
  readonly credentials: string | null;
}

/**
 * Sends `send(item)` for every item, at most `concurrency` at a time. Once a request fails to reach
 * the target before any request has been answered, the rest are not sent: retrying each against a
 * host that is down would only burn the retry budget once per object. Nor are they once the target
 * refused the credentials: each would be refused alike (and some APIs lock an account that keeps
 * trying).
 */
export async function runBatch<T, R>(
  items: readonly T[],
  concurrency: number,
  send: (item: T) => Promise<{ result: R; http: HttpResult | null }>,
): Promise<BatchOutcome<R>> {
  const results = new Array<{ result: R } | { notSent: string }>(items.length);
  let answered = false;
  let wrote = false;
  let unreachable: string | null = null;
  let refused: string | null = null;
  let next = 0;

  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      if (refused !== null) {
        results[index] = { notSent: `the target refused Concord's credentials (${refused})` };
        continue;
      }
      if (unreachable !== null && !answered) {
        results[index] = { notSent: `the target stopped answering (${unreachable})` };
        continue;
      }
      const { result, http } = await send(items[index] as T);
      results[index] = { result };
      if (http?.ok) wrote = true;
      // A request that went out before its connection broke reached the target: no outage, and its
      // object's result says it may have been written.
      if (http && (http.ok || http.status !== undefined || http.afterSending)) answered = true;
      else if (http && !http.ok && UNREACHABLE.has(http.kind)) unreachable ??= http.reason;
      if (http && !http.ok && refusedCredentials(http)) refused ??= http.reason;
    }
  }

  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  return {
    results,
    outage: !answered && unreachable !== null ? unreachable : null,
    credentials: !wrote && refused !== null ? refused : null,
  };
}

// An outage is a stop Concord names in words (stop.ts), not an unexpected error: running it again once
// the target is back is all it takes.
export function outage(verb: string, reason: string): Error {
  return new ExplainedStop(`The target could not be reached; nothing was ${verb}. ${reason}`, false);
}

// Refused credentials stop the run, as a source's do: no object of the batch is marked refused for what
// is the connection's fault, and running it again would stop the same way until they are put right.
export function credentialsRefused(verb: string, reason: string): Error {
  return new ExplainedStop(
    `The target refused Concord's credentials; nothing was ${verb}. ${reason.replace(/\.?$/, '.')} Check the target's authentication settings (its secret, token or user)`,
    true,
  );
}

/** What a batch's outcome means for its objects: a stop for the batch as a whole, or a result each. */
export function settle<R>(
  outcome: BatchOutcome<R>,
  batch: readonly { originId: string }[],
  verb: string,
): (R | TargetRefusal)[] {
  // Nothing reached the target: throwing lets the durable step retry the whole batch later.
  if (outcome.outage !== null) throw outage(verb, outcome.outage);
  if (outcome.credentials !== null) throw credentialsRefused(verb, outcome.credentials);
  return outcome.results.map((entry, index) =>
    'result' in entry
      ? entry.result
      : {
          originId: batch[index]?.originId ?? '',
          ok: false,
          reason: `Not sent: ${entry.notSent}`,
          transient: true,
        },
  );
}
