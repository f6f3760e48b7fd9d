// The embedded runner's part of notifications: sends the webhook deliveries that are due (deliver.ts)
// on every poll, when a run ends, and at the moment the next retry is due, until a pass sends nothing
// (due-work.ts keeps the timing).
import type { Db } from '../db/client';
import { deliverDue, type DeliverOptions } from '../services/notifications/deliver';
import { DueWork } from './due-work';

export function webhookDeliverer(
  db: Db,
  options: DeliverOptions,
  log: (message: string) => void,
  pollMs: number,
): DueWork {
  return new DueWork(
    'webhook deliveries',
    async () => {
      const result = await deliverDue(db, options);
      return { again: result.attempted > 0, nextDueAt: result.nextDueAt };
    },
    log,
    pollMs,
  );
}
