// The embedded runner's part of notifications: sends the webhook deliveries that are due (deliver.ts)
// on every poll, when a run ends, and at the moment the next retry is due. The deliveries live in the
// database, so a restarted process carries on with the retries a dead one had scheduled.
import type { Db } from '../db/client';
import { errorReason } from '../db/query-error';
import { deliverDue, type DeliverOptions } from '../services/notifications/deliver';

export class WebhookDeliverer {
  private poll: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly options: DeliverOptions,
    private readonly log: (message: string) => void,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.poll = setInterval(() => this.deliverSoon(), this.pollMs);
    this.deliverSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
    await this.sending;
  }

  /** Sends what is due now (called when a run ends, and on every poll). */
  deliverSoon(): void {
    if (this.stopped) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.send()
      .catch((error: unknown) => this.log(`webhook deliveries: ${errorReason(error)}`))
      .finally(() => {
        this.sending = null;
        if (this.again) {
          this.again = false;
          this.deliverSoon();
        }
      });
  }

  /** Waits until nothing is being sent (tests). */
  async idle(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async send(): Promise<void> {
    for (;;) {
      const result = await deliverDue(this.db, this.options);
      if (this.stopped) return;
      if (result.attempted > 0) continue;
      if (result.nextDueAt !== null) this.wakeAt(result.nextDueAt);
      return;
    }
  }

  private wakeAt(at: number): void {
    if (this.stopped) return;
    if (this.retry) clearTimeout(this.retry);
    // Far-off retries are found by the poll; a timer only for the near ones.
    const wait = at - Date.now();
    if (wait > 10 * 60_000) return;
    this.retry = setTimeout(() => this.deliverSoon(), Math.max(0, wait) + 5);
  }
}
