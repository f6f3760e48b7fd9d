// A write to an object whose version the writer read just before (TargetUpdate/TargetDelete.precondition,
// a two-way write-back to a REST source): the source is asked to refuse it if the object changed since.
// If-Match takes a strong ETag only: a weak one (W/"…") never matches under If-Match (RFC 9110 13.1.1),
// so a source that checks it would refuse every write; Last-Modified then stands in (If-Unmodified-Since,
// to the second). A 412 answer is that refusal: changed meanwhile, transient, decided again next run.
import type { HttpResult } from '../http';
import type { Precondition, TargetRefusal } from '../ports';

export const CHANGED_AT_SOURCE =
  'The object changed at the source after this run read it (someone wrote it meanwhile): not written over; ' +
  'it is decided again next run.';

/** The request headers that make the source refuse a write to an object changed since it was read. */
export function preconditionHeaders(p: Precondition | undefined): Record<string, string> {
  if (p?.etag && !p.etag.startsWith('W/')) return { 'if-match': p.etag };
  if (p?.lastModified) return { 'if-unmodified-since': p.lastModified };
  return {};
}

/** The source's refusal of a conditional write (412): the object changed since it was read. */
export function changedMeanwhile(
  originId: string,
  http: HttpResult,
  p: Precondition | undefined,
): TargetRefusal | null {
  if (http.ok || http.status !== 412 || Object.keys(preconditionHeaders(p)).length === 0) return null;
  return { originId, ok: false, reason: CHANGED_AT_SOURCE, transient: true };
}
