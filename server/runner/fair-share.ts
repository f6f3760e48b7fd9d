// Which queued runs the embedded runner starts, fairly between organisations: the organisation with the
// fewest runs executing goes first, and one organisation's slow runs never make another wait behind
// them. Pure, so the rules can be read and tested apart from the database.

export interface QueuedRun {
  readonly id: string;
  readonly syncId: string;
  readonly orgId: string;
}

export interface ActiveRun {
  readonly syncId: string;
  readonly orgId: string;
}

/**
 * Up to `concurrency` runs share the regular slots. A run of an organisation that has none executing
 * may also start when they are all taken (a slot kept for fairness, up to `concurrency` more): the
 * first run of every organisation starts at once, however long another organisation's runs take.
 * `queued` is oldest first; one run per synchronisation.
 */
export function chooseRuns(
  queued: readonly QueuedRun[],
  active: readonly ActiveRun[],
  concurrency: number,
): QueuedRun[] {
  const perOrg = new Map<string, number>();
  for (const run of active) perOrg.set(run.orgId, (perOrg.get(run.orgId) ?? 0) + 1);
  const busySyncs = new Set(active.map((run) => run.syncId));
  let running = active.length;
  const chosen: QueuedRun[] = [];
  const waiting = queued.filter((run) => !busySyncs.has(run.syncId));
  for (;;) {
    // The oldest run of the organisation with the fewest runs executing (ties: the oldest run).
    let next: QueuedRun | undefined;
    for (const run of waiting) {
      if (busySyncs.has(run.syncId)) continue;
      if (!next || (perOrg.get(run.orgId) ?? 0) < (perOrg.get(next.orgId) ?? 0)) next = run;
    }
    if (!next) return chosen;
    const mine = perOrg.get(next.orgId) ?? 0;
    const regular = running < concurrency;
    const fairness = mine === 0 && running < concurrency * 2;
    if (!regular && !fairness) return chosen;
    chosen.push(next);
    running += 1;
    perOrg.set(next.orgId, mine + 1);
    busySyncs.add(next.syncId);
  }
}
