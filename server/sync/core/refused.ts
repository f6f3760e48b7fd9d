// Objects a source refuses to hand the engine although it can name them (a register object whose id
// another object's contract holds: core/register-claims.ts). Each is found and invalid, with its id and
// the reason as its entry; `keepListed` is an origin id the listing must count as seen all the same —
// the contract the object still owns, whose target object must not be deleted for its absence.
import type { RunEntry } from '../ports';

export interface RefusedObject {
  readonly originId: string;
  readonly reason: string;
  readonly keepListed: string | null;
}

/** What a page's refused objects add to its counts, their entries, and the ids they keep listed. */
export function refusedTally(refused: readonly RefusedObject[] = []) {
  const entries: RunEntry[] = refused.map((r) => ({
    originId: r.originId,
    action: 'invalid',
    reason: r.reason,
  }));
  const listed = refused.flatMap((r) => (r.keepListed === null ? [] : [r.keepListed]));
  return { found: refused.length, invalid: refused.length, entries, listed };
}
