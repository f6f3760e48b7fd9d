// What the embedded runner does when it is due, kept in the database (webhook deliveries, push retries):
// done on every poll, when a run ends (it may have scheduled some), and at the moment the next is due.
// One pass at a time; a call during a pass runs one more after it. The work lives in the database, so a
// restarted process carries on with what a dead one had scheduled.
import { errorReason } from '../db/query-error';

/** One pass: whether to go again at once (it did something), and when the next is due (epoch ms). */
export interface DuePass {
  readonly again: boolean;
  readonly nextDueAt: number | null;
}

export class DueWork {
  private poll: NodeJS.Timeout | null = null;
  private due: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly label: string,
    private readonly pass: () => Promise<DuePass>,
    private readonly log: (message: string) => void,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.poll = setInterval(() => this.soon(), this.pollMs);
    this.soon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.due) clearTimeout(this.due);
    await this.running;
  }

  /** Does what is due now. */
  soon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.passes()
      .catch((error: unknown) => this.log(`${this.label}: ${errorReason(error)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.soon();
        }
      });
  }

  /** Waits until no pass is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async passes(): Promise<void> {
    for (;;) {
      const result = await this.pass();
      if (this.stopped) return;
      if (result.again) continue;
      if (result.nextDueAt !== null) this.wakeAt(result.nextDueAt);
      return;
    }
  }

  private wakeAt(at: number): void {
    if (this.stopped) return;
    if (this.due) clearTimeout(this.due);
    // Far-off work is found by the poll; a timer only for what is near.
    const wait = at - Date.now();
    if (wait > 10 * 60_000) return;
    this.due = setTimeout(() => this.soon(), Math.max(0, wait) + 5);
  }
}
