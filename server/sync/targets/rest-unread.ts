// A write the target took (a 2xx) with an answer Concord cannot read: an HTML page from a proxy, plain
// text, a body that is not valid JSON, no body, or JSON without the new object's id. That is not the
// target refusing the object: an update or a deletion landed, and a create may have made the object —
// under an id Concord does not know. Such a create must not be sent again blindly (a second copy), so
// it is answered `mayExist` (its create intent is kept `accepted`, create-intents.ts) and, where the target
// can be asked for the object (its match field, or its own id), as transient: the next run asks and links
// the object it finds, sending it again only when the target does not hold it. Where it cannot be asked,
// the object is not sent again until it changes. A 2xx that a redirect turned into a GET is another
// matter (rest-redirected.ts).
import { snippet } from '../http/finish';
import type { HttpResult, UnreadBody } from '../http';
import type { TargetRefusal } from '../ports';

/** What a 2xx answer was, when its body is not data Concord can read; null for any other answer. */
export function unreadAnswer(http: HttpResult): { status: number; said: string } | null {
  if (!http.ok) {
    const { status, unreadBody } = http;
    if (status === undefined || status < 200 || status > 299 || !unreadBody) return null;
    return { status, said: http.kind === 'empty-body' ? 'an empty body' : describe(unreadBody) };
  }
  if (http.format === 'empty') return { status: http.status, said: 'an empty body' };
  if (http.format === 'text')
    return {
      status: http.status,
      said: describe({ contentType: http.headers['content-type'] ?? null, start: snippet(http.text) }),
    };
  return null;
}

function describe(body: UnreadBody): string {
  const type = body.contentType ? `content-type ${body.contentType}` : 'no content-type';
  return `a body Concord could not read (${type}, starting "${body.start}")`;
}

/**
 * A create the target accepted without telling Concord the new object's id. `said`: what it answered;
 * `lookup`: how the next run can ask the target for the object (e.g. "its match field `email`"), or null.
 */
export function createNotConfirmed(
  originId: string,
  answer: { status: number; said: string },
  lookup: string | null,
): TargetRefusal {
  const what =
    `The target answered ${answer.status}, so it accepted the object, but with ${answer.said}: ` +
    'Concord does not know the id it was given. The object may have been created there.';
  return createMayExist(originId, what, lookup);
}

/**
 * A create that may have made the object, `what` saying why in words: transient when the next run can
 * look it up by `lookup` (and link it, or send it again when the target does not hold it), otherwise not
 * sent again until it changes.
 */
export function createMayExist(originId: string, what: string, lookup: string | null): TargetRefusal {
  if (lookup)
    return {
      originId,
      ok: false,
      transient: true,
      mayExist: true,
      reason: `${what} The next run looks for it by ${lookup} and links it; it is sent again only if the target does not hold it.`,
    };
  return {
    originId,
    ok: false,
    mayExist: true,
    reason:
      `${what} Check the target for it: Concord has no match field to look it up by, so it is not sent ` +
      'again until it changes. Set a match field in the target settings and the next run links it instead.',
  };
}

/**
 * A create whose connection broke (or whose time ran out) once it was sent, before any answer: the target
 * may have made the object. Not sent again at once (targets/rest.ts: many targets ignore the
 * Idempotency-Key); transient, its create intent left `sending`, so the next run first looks for it —
 * by `lookup` where the target can be asked, in the listing for a two-way source — and sends it again,
 * under the same key, only when it finds none.
 */
export function createCutOff(originId: string, reason: string, lookup: string | null): TargetRefusal {
  const look = lookup
    ? `The next run looks for it by ${lookup} and links it; it is sent again only if the target does not hold it.`
    : 'The next run sends it again under the same Idempotency-Key (a target that honours the key makes it once); ' +
      'set a match field so that Concord looks for it first.';
  return {
    originId,
    ok: false,
    transient: true,
    reason: `${reason} The request had been sent, so the object may have been created there. ${look}`,
  };
}
