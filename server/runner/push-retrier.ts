// The embedded runner's part of redelivery: queues the retry runs that are due (push-retries.ts) on every
// poll, when a run ends (it may have scheduled some), and at the moment the next retry is due, and wakes
// the runner when it queued one (due-work.ts keeps the timing).
import type { Db } from '../db/client';
import { DueWork } from './due-work';
import { requestDueRetries } from './push-retries';

export function pushRetrier(
  db: Db,
  delays: readonly number[],
  queued: () => void,
  log: (message: string) => void,
  pollMs: number,
): DueWork {
  return new DueWork(
    'push retries',
    async () => {
      const result = await requestDueRetries(db, delays);
      if (result.runs.length > 0) queued();
      return { again: false, nextDueAt: result.nextDueAt };
    },
    log,
    pollMs,
  );
}
