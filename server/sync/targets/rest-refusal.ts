// How a REST target's failed request becomes a per-object refusal: transient when it may pass on its own
// (sent again next run), permanent when the target refused the object itself (not sent again until it
// changes).
import type { HttpFailure } from '../http';
import type { TargetRefusal } from '../ports';

/** Rate limits, timeouts, server errors and lost connections: nothing the object itself could fix. */
export function isTransient(http: HttpFailure): boolean {
  const status = http.status ?? 0;
  return (
    http.kind === 'network' ||
    http.kind === 'timeout' ||
    http.kind === 'rate-limited' ||
    status === 408 ||
    status === 429 ||
    status >= 500
  );
}

/** Any other answer (a 4xx) is the target refusing the object. */
export function refusal(originId: string, http: HttpFailure, reason = http.reason): TargetRefusal {
  return isTransient(http)
    ? { originId, ok: false, reason, transient: true }
    : { originId, ok: false, reason };
}
