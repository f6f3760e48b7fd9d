// The embedded runner's part of redelivery: queues the retry runs that are due (push-retries.ts) on every
// poll, when a run ends (it may have scheduled some), and at the moment the next retry is due, and wakes
// the runner when it queued one. The retries live in the database, so a restarted process carries on
// with what a dead one had scheduled.
import type { Db } from '../db/client';
import { errorReason } from '../db/query-error';
import { requestDueRetries } from './push-retries';

export class PushRetrier {
  private poll: NodeJS.Timeout | null = null;
  private due: NodeJS.Timeout | null = null;
  private requesting: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly delays: readonly number[],
    private readonly queued: () => void,
    private readonly log: (message: string) => void,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.poll = setInterval(() => this.retrySoon(), this.pollMs);
    this.retrySoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.due) clearTimeout(this.due);
    await this.requesting;
  }

  /** Queues what is due now (called when a run ends, and on every poll). */
  retrySoon(): void {
    if (this.stopped) return;
    if (this.requesting) {
      this.again = true;
      return;
    }
    this.requesting = this.request()
      .catch((error: unknown) => this.log(`push retries: ${errorReason(error)}`))
      .finally(() => {
        this.requesting = null;
        if (this.again) {
          this.again = false;
          this.retrySoon();
        }
      });
  }

  private async request(): Promise<void> {
    const result = await requestDueRetries(this.db, this.delays);
    if (this.stopped) return;
    if (result.runs.length > 0) this.queued();
    if (result.nextDueAt !== null) this.wakeAt(result.nextDueAt);
  }

  private wakeAt(at: number): void {
    if (this.stopped) return;
    if (this.due) clearTimeout(this.due);
    // Far-off retries are found by the poll; a timer only for the near ones.
    const wait = at - Date.now();
    if (wait > 10 * 60_000) return;
    this.due = setTimeout(() => this.retrySoon(), Math.max(0, wait) + 5);
  }
}
