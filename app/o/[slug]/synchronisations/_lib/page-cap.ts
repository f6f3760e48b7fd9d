// Whether the synchronisation's page should say that the last listing stopped at the page cap: only
// while that is still so (no later run got further, and Max pages was not raised since).
import type { RunRow } from './types';

/** The cap the last listing run stopped at, when raising Max pages above `currentCap` is still needed. */
export function pageCapToRaise(runs: readonly RunRow[], currentCap: number): number | null {
  // Newest first. Approvals, pushed register changes and single pushed objects list nothing, so they
  // say nothing about the cap.
  const last = runs.find(
    (r) =>
      r.status === 'finished' &&
      r.trigger !== 'approval' &&
      r.trigger !== 'push' &&
      r.trigger !== 'retry' &&
      !(r.cursor && typeof r.cursor === 'object' && 'object' in r.cursor),
  );
  if (!last?.pageCap) return null;
  return currentCap <= last.pageCap ? last.pageCap : null;
}
