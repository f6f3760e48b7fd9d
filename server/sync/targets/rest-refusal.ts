// How a REST target's failed request becomes a per-object refusal: transient when it may pass on its own
// (sent again next run), permanent when the target refused the object itself (not sent again until it
// changes).
import type { HttpFailure } from '../http';
import type { TargetRefusal } from '../ports';

/**
 * Rate limits, timeouts, server errors, lost connections, and refused credentials or permissions:
 * nothing the object itself could fix. A 401 or 403 says who is asking may not write, not what: marked
 * rejected, every object would wait for its next change after the credentials were put right.
 */
export function isTransient(http: HttpFailure): boolean {
  const status = http.status ?? 0;
  return (
    http.kind === 'network' ||
    http.kind === 'timeout' ||
    http.kind === 'rate-limited' ||
    status === 403 ||
    status === 408 ||
    status === 429 ||
    status >= 500 ||
    refusedCredentials(http)
  );
}

/**
 * The target refused Concord's credentials: a 401 (after a token renewed once, http/client.ts), a proxy's
 * 407, or no token from the API's OAuth server. Every other request would be refused alike, so a batch
 * stops sending at the first (rest-batch.ts), and one that wrote nothing stops the run.
 */
export function refusedCredentials(http: HttpFailure): boolean {
  return http.status === 401 || http.status === 407 || (http.kind === 'auth' && http.status === undefined);
}

/** Any other answer (a 4xx) is the target refusing the object. */
export function refusal(originId: string, http: HttpFailure, reason = http.reason): TargetRefusal {
  return isTransient(http)
    ? { originId, ok: false, reason, transient: true }
    : { originId, ok: false, reason };
}
