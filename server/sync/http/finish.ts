// Turns the last outcome of a request into the result callers see: a parsed body, or one sentence that
// says which request, what happened, after how many attempts, and the start of what the server said.
// The body is read only when asked: a page recognised by its bytes need not be parsed at all.
import type { XmlOptions } from '@/server/sync/formats/xml';
import { parseBody } from './body';
import { ownWork } from './own-time';
import type { WireOutcome } from './transport';
import type { FailureKind, HttpFailure, HttpResult, HttpUnread, RedirectedWrite, UnreadBody } from './types';

export interface Finished {
  outcome: WireOutcome;
  /** Why retrying stopped early, e.g. a Retry-After beyond the budget. */
  note?: string;
  attempts: number;
  /** "GET https://…/items?page=3", secrets masked. */
  label: string;
  url: string;
  displayUrl: string;
  /** Set when a redirect turned the write into a GET (types.ts RedirectedWrite). */
  redirectedWrite?: RedirectedWrite;
}

export interface FinishOptions {
  allowEmptyBody: boolean;
  xml?: XmlOptions;
  redact: (text: string) => string;
}

const SNIPPET_CHARS = 200;

/**
 * The answer with its body not yet read: a failure for a transport error or a status outside 2xx, else
 * the answer, whose `read` parses the body — or fails for a body that is empty, unreadable or nested
 * too deeply. `send` and `fetch` read it at once; `fetchUnread` leaves that to its caller.
 */
export function answer(done: Finished, options: FinishOptions): HttpUnread | HttpFailure {
  const { outcome, attempts, label } = done;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const fail = (
    kind: FailureKind,
    reason: string,
    status?: number,
    unreadBody?: UnreadBody,
  ): HttpFailure => ({
    ok: false,
    kind,
    reason: options.redact(reason),
    attempts,
    ...(status === undefined ? {} : { status }),
    ...(unreadBody ? { unreadBody } : {}),
    ...(done.redirectedWrite ? { redirectedWrite: done.redirectedWrite } : {}),
  });

  if (outcome.kind === 'error') {
    const message = /[.!?]$/.test(outcome.message) ? outcome.message : `${outcome.message}.`;
    // A refusal by the guard at connect time reads like one before sending: nothing reached the server.
    if (outcome.cause === 'blocked') return fail('blocked', `${label} was not sent: ${message}`);
    const failed = fail(outcome.cause, `${label} failed${tries}: ${message}`);
    return outcome.beforeSending || outcome.cause === 'too-large'
      ? failed
      : { ...failed, afterSending: true };
  }

  const status = `${outcome.status} ${outcome.statusText}`.trim();
  if (outcome.status < 200 || outcome.status > 299) {
    const note = done.note ? `; ${done.note}` : '';
    // Redact before cutting: a secret cut in half at the edge of the snippet would escape the mask.
    const said = snippet(options.redact(outcome.text));
    const kind: FailureKind =
      outcome.status === 429
        ? 'rate-limited'
        : outcome.status === 401 || outcome.status === 403
          ? 'auth'
          : 'http';
    return fail(kind, `${label} answered ${status}${tries}${note}${said ? `: ${said}` : ''}`, outcome.status);
  }

  const facts = {
    ok: true as const,
    status: outcome.status,
    statusText: outcome.statusText,
    headers: outcome.headers,
    text: outcome.text,
    bytes: outcome.bytes,
    url: done.url,
    displayUrl: done.displayUrl,
    attempts,
    ...(done.redirectedWrite ? { redirectedWrite: done.redirectedWrite } : {}),
  };
  const read = (): HttpResult => {
    const parsed = ownWork(() => parseBody(outcome.text, outcome.headers['content-type'], options.xml));
    if (!parsed.ok && !(parsed.kind === 'empty-body' && options.allowEmptyBody)) {
      const said = parsed.kind === 'unparseable' ? `: ${snippet(options.redact(outcome.text))}` : '';
      const kind = parsed.kind === 'too-deep' ? 'unparseable' : parsed.kind;
      const unread = {
        contentType: outcome.headers['content-type'] ?? null,
        start: snippet(options.redact(outcome.text)),
      };
      return fail(kind, `${label} answered ${status} with ${parsed.why}${said}`, outcome.status, unread);
    }
    return {
      ...facts,
      body: parsed.ok ? parsed.body : null,
      format: parsed.ok ? parsed.format : 'empty',
    };
  };
  return { ...facts, read };
}

/** The first characters of a body on one line, enough to recognise an error message. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}
