// One request budget per host, shared by every HTTP client of this process — every synchronisation and
// every run that reads from or writes to the host: requests per second, requests in flight, and a pause
// that every request to the host waits out once the host said "no more for now" (a 429's Retry-After,
// RateLimit-Remaining: 0). Each attempt, retries included, takes its turn here.
//
// Hand-written on purpose: p-throttle fixes its limits when it is made and cannot pause; bottleneck has
// had no release since 2019; and both read the wall clock, where tests need to control it.

/** Set on a REST source; the strictest of all live declarations for a host applies to everyone. */
export interface HostLimits {
  readonly requestsPerSecond?: number | null;
  readonly maxConcurrency?: number | null;
}

export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

class HostBudget {
  private readonly declared = new Map<symbol, HostLimits>();
  /** When the last request was let go, by the clock: spacing, not a window, so no burst at a window edge. */
  private lastStart = -Infinity;
  private pausedUntil = 0;
  private inFlight = 0;
  /** Waiting for a permit to be in flight, then for a start; both first come, first served. */
  private readonly permits: (() => void)[] = [];
  private readonly starts: (() => void)[] = [];
  private pumping = false;

  constructor(private readonly clock: BudgetClock) {}

  declare(limits: HostLimits): () => void {
    const key = Symbol('declaration');
    this.declared.set(key, limits);
    return () => void this.declared.delete(key);
  }

  /** Resolves when this request may start; call the answer when it has finished. */
  async acquire(): Promise<() => void> {
    await this.permit();
    await new Promise<void>((resolve) => {
      this.starts.push(resolve);
      this.pump();
    });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // The permit passes straight to the next in line, so a newcomer cannot overtake it.
      const next = this.permits.shift();
      if (next) next();
      else this.inFlight--;
    };
  }

  // One loop per host lets the waiting requests go one by one, each at least an interval after the one
  // before as it really started: a timer that fires late delays what follows instead of bunching it.
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      while (this.starts.length > 0) {
        const at = Math.max(this.lastStart + this.intervalMs(), this.pausedUntil);
        const now = this.clock.now();
        if (at > now) {
          const pauseSeen = this.pausedUntil;
          await this.clock.sleep(at - now);
          // Paused meanwhile (another request's 429): wait that out too. Otherwise the sleep was what was
          // asked for: not checking the clock again keeps a frozen test clock from spinning.
          if (this.pausedUntil > pauseSeen && this.pausedUntil > this.clock.now()) continue;
        }
        this.lastStart = this.clock.now();
        this.starts.shift()?.();
      }
      this.pumping = false;
    })();
  }

  pause(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** Idle: nothing declared, nothing running or waiting, no pause or spacing still ahead. */
  idle(): boolean {
    const now = this.clock.now();
    return (
      this.declared.size === 0 &&
      this.inFlight === 0 &&
      this.starts.length === 0 &&
      this.pausedUntil <= now &&
      this.lastStart + this.intervalMs() <= now
    );
  }

  private async permit(): Promise<void> {
    if (this.inFlight < this.concurrency()) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.permits.push(resolve));
  }

  private intervalMs(): number {
    const rate = this.strictest('requestsPerSecond');
    return rate === Infinity ? 0 : 1000 / rate;
  }

  private concurrency(): number {
    return this.strictest('maxConcurrency');
  }

  private strictest(name: keyof HostLimits): number {
    let value = Infinity;
    for (const limits of this.declared.values()) {
      const limit = limits[name];
      if (typeof limit === 'number' && limit > 0) value = Math.min(value, limit);
    }
    return value;
  }
}

/** The budgets of every host, by `host` (name and port: two servers on one machine are two hosts). */
export class HostBudgets {
  private readonly hosts = new Map<string, HostBudget>();

  constructor(private readonly clock: BudgetClock) {}

  /** The limits a client's configuration sets for its host, until the returned function is called. */
  declare(host: string, limits: HostLimits): () => void {
    const undeclare = this.of(host).declare(limits);
    return () => {
      undeclare();
      this.forget(host);
    };
  }

  async acquire(host: string): Promise<() => void> {
    const release = await this.of(host).acquire();
    return () => {
      release();
      this.forget(host);
    };
  }

  /** Holds every request to the host for `ms` (a 429's Retry-After, an exhausted RateLimit window). */
  pause(host: string, ms: number): void {
    this.of(host).pause(ms);
  }

  private of(host: string): HostBudget {
    const key = host.toLowerCase();
    let budget = this.hosts.get(key);
    if (!budget) this.hosts.set(key, (budget = new HostBudget(this.clock)));
    return budget;
  }

  // Hosts come and go with next links and redirects: an idle budget with nothing to remember is dropped.
  private forget(host: string): void {
    const key = host.toLowerCase();
    if (this.hosts.get(key)?.idle()) this.hosts.delete(key);
  }
}

const realClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// On globalThis so that a module loaded twice (Next's bundles, development reloads) still shares one.
const holder = globalThis as { concordHostBudgets?: HostBudgets };

/** The process-wide budgets every client uses unless a test gives it its own clock. */
export const sharedHostBudgets: HostBudgets = (holder.concordHostBudgets ??= new HostBudgets(realClock));
