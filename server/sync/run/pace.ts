// The executor's side of pacing (core/paced.ts): a run works for at most one slice of time between two
// turns of the event loop, so other requests and runs of the process wait for a slice, not for a page.
import type { Pace } from '../core/paced';
import { ownWorkMs } from '../http/own-time';

/** Longest stretch a run's page processing holds the process, plus one object's template budget. */
export const PACE_SLICE_MS = 20;
/**
 * A turn that took longer than this, besides the process's own answers, means other work was waiting.
 * Not 1 ms: reading a page off the socket around its parse takes about that much of a turn, and a run
 * slept after most of its pages (bench/: the unchanged re-run 3.6 s at 1 ms, 2.3 s at 2 ms, the same
 * as never sleeping), while another organisation's requests waited no longer (bench:hostile, median
 * 4.3 ms during a hostile run, 4.7 ms before).
 */
const BUSY_TURN_MS = 2;

/**
 * A request is several turns of the event loop (read, query, answer), and a run that took the process
 * back after each of them would make it wait a slice per turn. So when the turn shows that others were
 * waiting, the run also leaves the process alone for as long as it just worked (at most a slice). The
 * time the turn spent on the answers of the process's own requests (a run's next page, read ahead) does
 * not count: a run that slept after each page it read spent a third of its time asleep (bench/).
 */
export function createPacer(
  sliceMs = PACE_SLICE_MS,
  now: () => number = () => performance.now(),
  ownMs: () => number = ownWorkMs,
): Pace {
  let since = now();
  const turn = async () => {
    const worked = now() - since;
    const asked = now();
    const ownBefore = ownMs();
    // setImmediate runs after the I/O callbacks that are ready: waiting requests are served first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (now() - asked - (ownMs() - ownBefore) > BUSY_TURN_MS)
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(worked, sliceMs)));
    since = now();
  };
  return () => (now() - since < sliceMs ? undefined : turn());
}
