// Just before a two-way run updates or deletes an object at a REST source, the object is read again by id
// and compared with the version the run decided from (as the run hashes the source's objects, over the
// fields the listing gave: a by-id answer may carry more). One that changed meanwhile is not written over
// — someone's change there would be lost — but refused as transient, decided again next run, where both
// sides' changes meet; one deleted meanwhile is not updated (the update would fail or bring it back). The
// version read goes with the write (Precondition: If-Match, else If-Unmodified-Since), so a source that
// checks it closes the window between this read and the write; one that gives neither leaves that window
// open, the time of one request. An SQL source is checked inside the write's transaction instead
// (targets/sql-unchanged.ts). The price is one GET per write at the source; writes are far rarer than
// reads, and an object that cannot be read is not written blind.
import { hashObject } from '../core/canonical-json';
import type { Precondition } from '../ports';
import type { RestObjectAnswer } from '../sources/rest-by-id';
import { inPool } from '../sources/selected-ids';
import { CHANGED_AT_SOURCE } from '../targets/rest-precondition';
import { keyOf, refused, type Batch } from './batch';
import type { Decided } from './pairs';

const AT_ONCE = 4;

const GONE_AT_SOURCE =
  'The object was deleted at the source after this run read it: not written again; it is decided again next run.';

/**
 * The writes still to make, each with the version it was checked against; the others are refused here.
 * `deleting`: an object already gone is what a deletion wants, so it goes on.
 */
export async function checkedAtSource<T extends { readonly d: Decided }>(
  batch: Batch,
  writes: readonly T[],
  deleting: boolean,
): Promise<(T & { precondition?: Precondition })[]> {
  const current = batch.ports.writeBack.current;
  if (!current) return [...writes];
  const answers = await inPool(writes, AT_ONCE, (w) =>
    w.d.pair.source && w.d.pair.originId ? current(w.d.pair.originId) : Promise.resolve(null),
  );
  const kept: (T & { precondition?: Precondition })[] = [];
  writes.forEach((w, i) => {
    const answer = answers[i] ?? null;
    const verdict = answer ? judge(batch, w.d, answer, deleting) : { ok: true as const };
    if (!verdict.ok)
      refused(batch, w.d, 'At the source', {
        originId: keyOf(w.d.pair),
        ok: false,
        reason: verdict.reason,
        transient: true,
      });
    else kept.push(verdict.precondition ? { ...w, precondition: verdict.precondition } : w);
  });
  return kept;
}

function judge(
  batch: Batch,
  d: Decided,
  answer: RestObjectAnswer,
  deleting: boolean,
): { ok: true; precondition?: Precondition } | { ok: false; reason: string } {
  if (answer.kind === 'failed')
    return {
      ok: false,
      reason:
        `it could not be read just before writing, to check that nobody changed it there meanwhile ` +
        `(${answer.message}): not written; it is decided again next run.`,
    };
  if (answer.kind === 'gone') return deleting ? { ok: true } : { ok: false, reason: GONE_AT_SOURCE };
  const listed = d.pair.source!;
  const now = Object.fromEntries(Object.keys(listed).map((key) => [key, answer.object[key]]));
  const { hashFields } = batch.ctx;
  if (hashObject(now, hashFields) !== hashObject(listed, hashFields))
    return { ok: false, reason: CHANGED_AT_SOURCE };
  const precondition = {
    ...(answer.etag ? { etag: answer.etag } : {}),
    ...(answer.lastModified ? { lastModified: answer.lastModified } : {}),
  };
  return { ok: true, ...(Object.keys(precondition).length > 0 ? { precondition } : {}) };
}
