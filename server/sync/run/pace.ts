// The executor's side of pacing (core/paced.ts): a run works for at most one slice of time between two
// turns of the event loop, so other requests and runs of the process wait for a slice, not for a page.
import type { Pace } from '../core/paced';

/** Longest stretch a run's page processing holds the process, plus one object's template budget. */
export const PACE_SLICE_MS = 20;
/** A turn that took longer than this means other work was waiting for the process. */
const BUSY_TURN_MS = 1;

/**
 * A request is several turns of the event loop (read, query, answer), and a run that took the process
 * back after each of them would make it wait a slice per turn. So when the turn shows that others were
 * waiting, the run also leaves the process alone for as long as it just worked (at most a slice).
 */
export function createPacer(sliceMs = PACE_SLICE_MS, now: () => number = () => performance.now()): Pace {
  let since = now();
  const turn = async () => {
    const worked = now() - since;
    const asked = now();
    // setImmediate runs after the I/O callbacks that are ready: waiting requests are served first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (now() - asked > BUSY_TURN_MS)
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(worked, sliceMs)));
    since = now();
  };
  return () => (now() - since < sliceMs ? undefined : turn());
}
