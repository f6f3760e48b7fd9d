// Writing through a REST target's batch endpoint: objects `size` at a time in one request each, the
// answer's results matched to the objects by position, and a batch the target refuses as a whole split
// in halves until the object it refuses stands alone — that one is rejected with the target's answer
// while the others land. A transient failure (429, 5xx, lost connection) is not split: it says nothing
// about any one object, so the whole batch is tried again next run. Nor is a batch a redirect turned
// into a GET of a page Concord cannot read (a login page, rest-redirected.ts): its 2xx is the page's, not
// the batch's, so its objects are not taken as written. Nor is an object whose entry in the answer's list
// is `null` (or `false`): the target saying it wrote nothing for it, or not saying it did; nor one whose
// entry holds an error at the configured `errorPath`: the target refusing it (entryOutcome).
import type { RestBatchConfig } from '../config/sync-config';
import { hashValue } from '../core/canonical-json';
import { lookupPath } from '../core/paths';
import type { HttpClient, HttpFailure } from '../http';
import { snippet } from '../http/finish';
import type { TargetRefusal } from '../ports';
import { redirectedAway, type RedirectedAway } from './rest-redirected';
import { isError, isTransient, refusedCredentials } from './rest-refusal';
import { createMayExist, unreadAnswer } from './rest-unread';

export interface BatchItem {
  readonly originId: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Stable for this object within the run: the batch's Idempotency-Key is made from its objects' keys. */
  readonly key: string;
}

/** Per object, in order: the target's entry for it, or why it did not land. */
export type BatchItemOutcome =
  | { readonly kind: 'written'; readonly status: number; readonly entry: unknown }
  | { readonly kind: 'failed'; readonly http: HttpFailure }
  /** Its entry in a 2xx answer's list is `null` or `false`: the target did not write it, or will not say. */
  | { readonly kind: 'empty'; readonly status: number; readonly entry: null | false }
  /** Its entry holds an error at `errorPath`: the target refused it, as a 4xx for it alone would say. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** A 2xx whose answer cannot be matched to the objects: they may have landed, so not sent again. */
  | { readonly kind: 'unmatched'; readonly reason: string }
  /** Redirected into a GET of a page Concord cannot read: not known to have landed, nor to have failed. */
  | { readonly kind: 'redirected'; readonly away: RedirectedAway };

export interface BatchWrite {
  readonly endpoint: string;
  readonly method: string;
  readonly config: RestBatchConfig;
  /** Creates need each object's entry (its id); updates take a 2xx without a list as success. */
  readonly needsEntries: boolean;
}

export interface BatchWriteOutcome {
  readonly outcomes: readonly BatchItemOutcome[];
  /** Set when no request reached the target and one could not connect: an outage (see rest-batch.ts). */
  readonly outage: string | null;
  /** Set when the target refused Concord's credentials before any batch was written (rest-batch.ts). */
  readonly credentials: string | null;
}

export async function writeInBatches(
  client: HttpClient,
  items: readonly BatchItem[],
  write: BatchWrite,
): Promise<BatchWriteOutcome> {
  const outcomes = new Array<BatchItemOutcome>(items.length);
  let answered = false;
  let wrote = false;
  let unreachable: string | null = null;
  // The first refusal of Concord's credentials: the batches after it are not sent (each would be
  // refused alike), their objects failed with it.
  let refused: HttpFailure | null = null;

  // `from` is the position of `chunk[0]` in `items`.
  async function send(chunk: readonly BatchItem[], from: number): Promise<void> {
    if (refused) {
      chunk.forEach((_, i) => (outcomes[from + i] = { kind: 'failed', http: refused! }));
      return;
    }
    const bodies = chunk.map((item) => item.body);
    const http = await client.send({
      endpoint: write.endpoint,
      method: write.method,
      body: write.config.itemsKey ? { [write.config.itemsKey]: bodies } : bodies,
      // The same objects make the same key, so a target that honours it takes a repeat as one. Many
      // ignore it: a batch of creates is sent again at once only after an answer saying it failed, never
      // when it may have landed unseen (targets/rest.ts sendCreate; http/types.ts `repeatable`).
      headers: { 'idempotency-key': hashValue(chunk.map((item) => item.key)) },
      repeatable: write.needsEntries ? 'when-answered' : true,
    });
    const away = redirectedAway(http);
    if (away) {
      answered = true;
      chunk.forEach((_, i) => (outcomes[from + i] = { kind: 'redirected', away }));
      return;
    }
    // A 2xx whose body cannot be read is the target taking the batch all the same: never split and
    // sent again (each half would be created a second time).
    const unread = http.ok ? null : unreadAnswer(http);
    if (http.ok || unread) {
      answered = true;
      wrote = true;
      const status = http.ok ? http.status : unread!.status;
      const entries = http.ok ? entriesOf(http.body, write.config.resultsPath) : undefined;
      const matched = Array.isArray(entries) && entries.length === chunk.length;
      chunk.forEach((_, i) => {
        outcomes[from + i] = matched
          ? entryOutcome(status, entries[i], write.config.errorPath)
          : write.needsEntries
            ? {
                kind: 'unmatched',
                reason: unmatchedReason(status, entries, chunk.length, write, unread?.said),
              }
            : { kind: 'written', status, entry: undefined };
      });
      return;
    }
    // A batch that went out before its connection broke reached the target: no outage (its objects may
    // have been written, which their results say).
    if (http.status !== undefined || http.afterSending) answered = true;
    else if (http.kind === 'network' || http.kind === 'timeout') unreachable ??= http.reason;
    if (refusedCredentials(http)) refused = http;
    // Refused as a whole: one of them (or more) is what the target will not take. Bisect to find it.
    if (chunk.length > 1 && http.status !== undefined && !isTransient(http)) {
      const half = Math.ceil(chunk.length / 2);
      await send(chunk.slice(0, half), from);
      await send(chunk.slice(half), from + half);
      return;
    }
    chunk.forEach((_, i) => (outcomes[from + i] = { kind: 'failed', http }));
  }

  for (let start = 0; start < items.length; start += write.config.size)
    await send(items.slice(start, start + write.config.size), start);
  // Set inside send(), which the compiler's narrowing does not follow.
  const refusal = refused as HttpFailure | null;
  return {
    outcomes,
    outage: !answered && unreachable !== null ? unreachable : null,
    credentials: !wrote && refusal ? refusal.reason : null,
  };
}

/**
 * An object's entry in the answer's list. Only `null` and `false`, and an error where the configuration
 * says errors are, are read as "not written": any other value may be the record itself, and guessing at
 * error fields could misjudge a real one.
 */
function entryOutcome(status: number, entry: unknown, errorPath: string | undefined): BatchItemOutcome {
  if (entry === null || entry === false) return { kind: 'empty', status, entry };
  const error = errorPath ? lookupPath(entry, errorPath) : null;
  if (error?.found && isError(error.value)) {
    const said = snippet(typeof error.value === 'string' ? error.value : JSON.stringify(error.value));
    return {
      kind: 'refused',
      reason:
        `The batch endpoint answered ${status} with an error for this object at \`${errorPath}\`: ` +
        `${said.replace(/\.$/, '')}. It was not written; it is sent again when it changes or is re-synced.`,
    };
  }
  return { kind: 'written', status, entry };
}

function entriesOf(body: unknown, resultsPath: string | undefined): unknown {
  if (!resultsPath) return body;
  const found = lookupPath(body, resultsPath);
  return found.found ? found.value : undefined;
}

function unmatchedReason(
  status: number,
  entries: unknown,
  count: number,
  write: BatchWrite,
  unread: string | undefined,
): string {
  const where = write.config.resultsPath ? `at \`${write.config.resultsPath}\`` : 'as its body';
  const what = unread
    ? `is ${unread}`
    : Array.isArray(entries)
      ? `lists ${entries.length} ${entries.length === 1 ? 'result' : 'results'} for ${count} objects`
      : `has no list of results ${where}`;
  return `the batch endpoint answered ${status} but its answer ${what}, so Concord cannot tell which object got which id (they may have been created: not sent again until they change)`;
}

type Empty = Extract<BatchItemOutcome, { kind: 'empty' }>;

const noResult = ({ status, entry }: Empty) =>
  `The batch endpoint answered ${status} but no result for this object (its entry is \`${String(entry)}\`)`;

/**
 * An update whose entry is empty: not counted as written. Transient, so it is sent again next run — as a
 * refusal it would be skipped until the object changes, the target silently lacking the change. Not read
 * as the single update's 404 (rest-gone-at-id.ts): the entry does not say why, so nothing is created
 * again on its word.
 */
export function updateWithoutResult(originId: string, outcome: Empty): TargetRefusal {
  return {
    originId,
    ok: false,
    transient: true,
    reason:
      `${noResult(outcome)}: it did not say it wrote it, so it is not counted as updated. A batch endpoint ` +
      "often answers so for an object it does not hold (deleted there, or out of these credentials' sight) " +
      'or will not take. It is sent again next run.',
  };
}

/** A create whose entry is empty: it may or may not have been made, as any create without an id. */
export function createWithoutResult(originId: string, outcome: Empty, lookup: string | null): TargetRefusal {
  return createMayExist(
    originId,
    `${noResult(outcome)}: it did not say it created it, nor under which id. It may not have been created, ` +
      'or have been created under an id Concord was not told.',
    lookup,
  );
}
