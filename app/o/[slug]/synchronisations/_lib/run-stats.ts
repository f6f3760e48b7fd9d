// What the live progress says about a run: objects processed, the rate, and the time left when the
// total is knowable (an earlier complete listing of the same synchronisation).
import type { RunRow } from './types';

export interface RunStats {
  processed: number;
  elapsedMs: number;
  /** Objects per second, once there is something to measure. */
  rate: number | null;
  /** Milliseconds left, when a total is known and the run is still going. */
  remainingMs: number | null;
  total: number | null;
}

export function runStats(run: RunRow, now: number, expectedTotal: number | null): RunStats {
  const processed = run.trigger === 'approval' ? run.deleted + run.failed : run.found;
  const start = run.startedAt?.getTime() ?? null;
  const end = run.finishedAt?.getTime() ?? now;
  const elapsedMs = start === null ? 0 : Math.max(0, end - start);
  const rate = elapsedMs >= 500 && processed > 0 ? processed / (elapsedMs / 1000) : null;
  const active = run.status === 'queued' || run.status === 'running';
  const total = expectedTotal && expectedTotal > 0 && run.trigger !== 'approval' ? expectedTotal : null;
  const remainingMs =
    active && total !== null && rate !== null ? (Math.max(0, total - processed) / rate) * 1000 : null;
  return { processed, elapsedMs, rate, remainingMs, total };
}

/** The object count of the last complete, real listing: what the next run will probably find. */
export function expectedTotal(runs: readonly RunRow[]): number | null {
  const last = runs.find(
    (r) =>
      r.status === 'finished' &&
      !r.test &&
      r.complete === true &&
      r.trigger !== 'approval' &&
      r.trigger !== 'webhook',
  );
  return last ? last.found : null;
}
