// How a REST target's failed request becomes a per-object refusal: transient when it may pass on its own
// (sent again next run), permanent when the target refused the object itself (not sent again until it
// changes).
import { isRecord, lookupPath } from '../core/paths';
import type { HttpFailure } from '../http';
import { snippet } from '../http/finish';
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

/**
 * A value at the error path that names an error: not one a written object's answer may carry there —
 * null, false, 0, empty text, an empty list (`"errors": []`) or object.
 */
export function isError(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isRecord(value) || Object.keys(value).length > 0;
}

/**
 * A 2xx answer to one object's write that holds an error at the configured `errorPath` (an API that
 * answers `200 {"success": false, "error": "…"}`): the target refusing the object, as a 4xx would say.
 * Null when there is no error path, or nothing that names an error there.
 */
export function refusedInAnswer(
  originId: string,
  answer: { status: number; body: unknown },
  errorPath: string | undefined,
  verb: string,
): TargetRefusal | null {
  if (!errorPath) return null;
  const error = lookupPath(answer.body, errorPath);
  if (!error.found || !isError(error.value)) return null;
  const said = snippet(typeof error.value === 'string' ? error.value : JSON.stringify(error.value));
  return {
    originId,
    ok: false,
    reason:
      `The target answered ${answer.status} with an error at \`${errorPath}\`: ${said.replace(/\.$/, '')}. ` +
      `It was not ${verb}; it is sent again when it changes or is re-synced.`,
  };
}
