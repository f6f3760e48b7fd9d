// The embedded runner's part of pushing: takes the outbox's settled changes (outbox-drain.ts) on every
// poll, and again the moment the next waiting change settles, and wakes the runner when it queued
// push runs. At start it takes what a dead process left in the outbox.
import type { Db } from '../db/client';
import { errorReason } from '../db/query-error';
import { drainOutbox, type PushTiming } from './outbox-drain';

export class OutboxDrainer {
  private poll: NodeJS.Timeout | null = null;
  private settle: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly timing: PushTiming,
    private readonly queued: () => void,
    private readonly log: (message: string) => void,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.poll = setInterval(() => this.drainSoon(), this.pollMs);
    this.drainSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.settle) clearTimeout(this.settle);
    await this.draining;
  }

  /** Looks at the outbox now (called after a change was queued, and on every poll). */
  drainSoon(): void {
    if (this.stopped) return;
    if (this.draining) {
      // A change queued while a drain reads the outbox may be missed by it: look once more after.
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.log(`push outbox: ${errorReason(error)}`))
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.drainSoon();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const result = await drainOutbox(this.db, this.timing);
      if (result.runs.length > 0) this.queued();
      if (result.taken > 0) continue;
      if (result.nextDueAt !== null) this.wakeAt(result.nextDueAt);
      return;
    }
  }

  private wakeAt(at: number): void {
    if (this.stopped) return;
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => this.drainSoon(), Math.max(0, at - Date.now()) + 5);
  }
}
