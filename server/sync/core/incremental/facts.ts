// What one page tells the cursor: the largest updated-at value on it, and the smallest value of an
// object that has to be read again because its write failed for a reason that may pass (a 429, a 5xx,
// no answer). A refusal of the object itself is not retried until it changes, so it holds nothing back.
// A value far in the future (values.ts isFarFuture) is counted apart, never the largest: a cursor there
// would ask for changes since then and miss every real one.
import type { IdentifiedItem } from '../ids';
import { cursorValueOf, earlierOf, isFarFuture, laterOf, type CursorValue } from './values';
import type { CursorFacts, FutureValues } from './window';

export function pageFacts(
  objects: readonly unknown[],
  items: readonly IdentifiedItem[],
  field: string,
  /** Origin ids of the page's objects (parents, for a failed child) whose write is to be retried. */
  retry: ReadonlySet<string>,
  /** Concord's clock (epoch ms), for values far in its future. */
  now: number,
): CursorFacts {
  let highest: CursorValue | null = null;
  let futureCount = 0;
  let futureLatest: CursorValue | null = null;
  for (const object of objects) {
    const value = cursorValueOf(object, field);
    if (value === null || !isFarFuture(value, now)) highest = laterOf(highest, value);
    else {
      futureCount++;
      futureLatest = laterOf(futureLatest, value);
    }
  }
  const future: FutureValues | null =
    futureLatest === null ? null : { count: futureCount, example: futureLatest };
  let lowestRetry: CursorValue | null = null;
  if (retry.size > 0) {
    for (const item of items) {
      if (!item.ok || !retry.has(item.originId)) continue;
      // One without a value is outside every incremental window anyway: a full run retries it.
      lowestRetry = earlierOf(lowestRetry, cursorValueOf(item.object, field));
    }
  }
  return future ? { highest, lowestRetry, future } : { highest, lowestRetry };
}

/**
 * The origin ids (for a failed child: its parent's) whose write failed for a reason that may pass, or
 * got no answer at all. Null answers: a dry run, which writes nothing and so retries nothing.
 */
export function retriedIds(
  decisions: readonly {
    readonly action: string;
    readonly originId: string | null;
    readonly parentOriginId?: string | null;
  }[],
  answers: ReadonlyMap<string, { readonly ok: boolean; readonly transient?: boolean }> | null,
): Set<string> {
  const retry = new Set<string>();
  if (!answers) return retry;
  for (const d of decisions) {
    if ((d.action !== 'create' && d.action !== 'update') || d.originId === null) continue;
    const answer = answers.get(d.originId);
    if (!answer || (!answer.ok && answer.transient)) retry.add(d.parentOriginId ?? d.originId);
  }
  return retry;
}
