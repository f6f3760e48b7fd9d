// A write the target answered through a redirect that turned it into a GET (a 303, or a 301/302 after a
// POST: `HttpResult.redirectedWrite`) with a page Concord cannot read. Most often a login page, when the
// credentials are no longer accepted: then nothing was written, whatever 2xx the page came with. But a
// page after a POST can also be its result (post/redirect/get). So:
// - an update or a deletion — one object, or each object of a batch — is failed as transient and sent
//   again next run: a whole object or a merge patch, or a deletion, leaves the same result twice;
// - a create — one, or each object of a batch — may have been made, and a second POST could make a
//   second copy: it stays "may exist" as a create accepted without an answer naming the object
//   (rest-unread.ts `createMayExist`): its create intent is kept `accepted`, and the next run looks it up
//   (match field, own id) before sending it again, or, when it cannot, leaves it until it changes.
import type { HttpResult } from '../http';
import type { TargetRefusal } from '../ports';
import { createMayExist, unreadAnswer } from './rest-unread';

/** The redirect that turned a write into a GET, and the page it led to. */
export interface RedirectedAway {
  /** The write's method. */
  readonly method: string;
  /** The redirect's status. */
  readonly status: number;
  /** The page's status and what it was, in words. */
  readonly page: { readonly status: number; readonly said: string };
}

/** Null for any answer but a write redirected into a GET of a page Concord cannot read. */
export function redirectedAway(http: HttpResult): RedirectedAway | null {
  const redirect = http.redirectedWrite;
  const page = redirect ? unreadAnswer(http) : null;
  if (!redirect || !page) return null;
  return { method: redirect.method, status: redirect.status, page };
}

type Write = 'update' | 'deletion' | 'batch update' | 'create' | 'batch create';

function answered(away: RedirectedAway, what: Write): string {
  const not = what.startsWith('batch') ? 'its results' : 'the object';
  return (
    `The target answered the ${what} (${away.method}) with a redirect (${away.status}) to a page that ` +
    `answered ${away.page.status} with ${away.page.said}, not with ${not}`
  );
}

/** An update or deletion so answered (see the top): failed, sent again next run. */
export function writeRedirectedAway(
  originId: string,
  http: HttpResult,
  what: 'update' | 'deletion',
): TargetRefusal | null {
  const away = redirectedAway(http);
  return away ? updateRedirectedAway(originId, away, what) : null;
}

export function updateRedirectedAway(
  originId: string,
  away: RedirectedAway,
  what: 'update' | 'deletion' | 'batch update',
): TargetRefusal {
  const made = what === 'deletion' ? 'deletion' : 'update';
  // Transient: a refusal would be skipped until the object changes, and the write never made.
  return {
    originId,
    ok: false,
    transient: true,
    reason:
      `${answered(away, what)}: the ${made} may not have been made. A login page usually means the ` +
      'credentials are no longer accepted. It is sent again next run.',
  };
}

/**
 * A create so answered (see the top): "may exist". `lookup`: how the next run can ask the target for the
 * object (rest.ts `lookupOf`), or null.
 */
export function createRedirectedAway(
  originId: string,
  away: RedirectedAway,
  lookup: string | null,
  what: 'create' | 'batch create',
): TargetRefusal {
  return createMayExist(
    originId,
    `${answered(away, what)}. A login page usually means the credentials are no longer accepted, and then ` +
      'nothing was created; but a page after a POST can also be its result, so the object may have been created there.',
    lookup,
  );
}
