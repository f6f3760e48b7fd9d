// The mapping test bench runs templates synchronously in the request, and viewers may use it. Each
// preview is bounded by its template budget (core/mapping/template-budget.ts); this bounds how many of
// them one organisation can fire back to back: its previews may use a share of the process's time, with
// a short burst, and a preview beyond that is refused for a moment instead of delaying everyone else.
import { TEMPLATE_TIME_BUDGET_MS } from '../sync/core/mapping/template-budget';
import { UserError } from './errors';

/** Share of the process's time one organisation's previews may use over a while. */
export const PREVIEW_SHARE = 0.25;
/**
 * Preview time an organisation may owe and still preview: two previews that used their whole template
 * budget go through, the third right behind them is refused. Each preview is its own request, so others'
 * requests are served between them: what another user waits is one preview, not the burst.
 */
export const PREVIEW_BURST_MS = TEMPLATE_TIME_BUDGET_MS * 2;

/** The process's CPU time in ms: what a preview costs, unlike wall time not inflated by a busy machine. */
const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Ledger {
  /** Preview time used and not yet paid back by waiting. */
  debt: number;
  at: number;
}

export class PreviewShare {
  private readonly ledgers = new Map<string, Ledger>();

  constructor(
    /** Wall time, in which the debt is paid back. */
    private readonly now: () => number = () => performance.now(),
    private readonly share = PREVIEW_SHARE,
    private readonly burstMs = PREVIEW_BURST_MS,
    /** CPU time, by which a preview is charged (previews run synchronously, so the process's is theirs). */
    private readonly cpu: () => number = processCpuMs,
  ) {}

  /** Runs `preview` for the organisation, or refuses while its previews have used more than their share. */
  run<T>(orgId: string, preview: () => T): T {
    const debt = this.debt(orgId);
    if (debt > this.burstMs) {
      const seconds = Math.ceil((debt - this.burstMs) / this.share / 1000);
      throw new UserError(
        'TOO_MANY_REQUESTS',
        `This organisation's previews took more time than they may use at once; try again in ${seconds} s.`,
      );
    }
    const started = this.cpu();
    try {
      return preview();
    } finally {
      const at = this.now();
      this.ledgers.set(orgId, { debt: debt + (this.cpu() - started), at });
      if (this.ledgers.size > 1_000) this.sweep(at);
    }
  }

  private debt(orgId: string): number {
    const ledger = this.ledgers.get(orgId);
    if (!ledger) return 0;
    return Math.max(0, ledger.debt - (this.now() - ledger.at) * this.share);
  }

  // Organisations whose debt is paid back need no entry.
  private sweep(now: number): void {
    for (const [orgId, ledger] of this.ledgers)
      if (ledger.debt - (now - ledger.at) * this.share <= 0) this.ledgers.delete(orgId);
  }
}

/** The process's one ledger: previews of every organisation run in this process's one thread. */
export const previewShare = new PreviewShare();
