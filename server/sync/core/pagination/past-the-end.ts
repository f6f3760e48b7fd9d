// A page-number API that answers a number past its last page with its last page again (it clamps the
// number) instead of an empty page: without a total it never answers empty, so its listing ended at
// the identical-page guard every run — incomplete, warning, and never a deletion (an object deleted at
// the source stayed forever). Read here: a repeat is taken for the end of the listing only when the
// page parameter visibly worked (pages 1 and 2 differed, so the repeat comes at page 3 or later) and
// the number after it answers the same page once more. An API that ignores the parameter repeats page 1
// at page 2 (still the identical-page guard: its other pages were never read), and a page that repeats
// once in the middle of a listing (a cache) is followed by a page that differs, read as usual.
import { nextStep, type PageContext } from './strategy';
import type { ListingCursor, ListingOutcome } from './types';

type Seen = Pick<ListingCursor, 'visited' | 'checkpoints'>;

/**
 * What follows an answer identical to the page before (`cursor`'s page): the listing's end — incomplete,
 * or complete at the last page of an API that clamps — or the cursor that asks the next number, with
 * which the repeated page counts for nothing (its objects are the page before's) and the page before
 * stays the one the next answer is compared with.
 */
export function afterRepeat(
  cursor: ListingCursor,
  answer: Pick<PageContext, 'url' | 'headers' | 'body' | 'count'>,
  seen: Seen,
): { outcome: ListingOutcome } | { cursor: ListingCursor } {
  const { page, url } = cursor;
  // The second repeat in a row, after the first came at page 3 or later: the API clamps.
  if (cursor.repeatOf !== undefined) {
    return { outcome: { complete: true, pages: cursor.repeatOf, repeatedLast: true } };
  }
  const step =
    cursor.strategy?.kind === 'page-number' && page >= 3
      ? nextStep(cursor.strategy, {
          ...answer,
          page,
          objectsBefore: cursor.objectsBefore,
          baseQuery: cursor.baseQuery,
        })
      : null;
  if (step?.kind !== 'next') {
    return { outcome: { complete: false, pages: page - 1, problem: { kind: 'identical-page', page, url } } };
  }
  return { cursor: { ...cursor, ...seen, url: step.url, page: page + 1, repeatOf: page - 1 } };
}
