// A two-way run's result: its counts (both sides together, in the log's columns) and its message, per
// side, in words.
import { problemSeverity, type ListingOutcome } from '../core/pagination/types';
import { describeListingProblem } from '../core/pagination/problems';
import { objectsResult, ZERO_COUNTS, type RunResult, type RunSummary } from '../core/run-result';
import type { TwoWayContext } from './pairs';
import type { SideTally } from './tally';

export type Totals = {
  found: number;
  invalid: number;
  filtered: number;
  unidentified: number;
  /** Ids an earlier page of the listing held (RunCounts.repeated); absent in steps stored before. */
  repeated?: number;
};

export function countsOf(tally: SideTally, totals: Totals) {
  return {
    ...ZERO_COUNTS,
    found: totals.found,
    created: tally.register.created + tally.source.created,
    updated: tally.register.updated + tally.source.updated,
    deleted: tally.register.deleted + tally.source.deleted,
    skipped: tally.unchanged + tally.conflicts,
    invalid: totals.invalid + (tally.invalid ?? 0),
    failed: tally.failed,
    filtered: totals.filtered,
    held: tally.held,
    unidentified: totals.unidentified,
    repeated: totals.repeated ?? 0,
  };
}

const RANK: Record<RunResult, number> = { success: 0, warning: 1, error: 2 };
const worst = (a: RunResult, b: RunResult): RunResult => (RANK[a] >= RANK[b] ? a : b);

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The run's result in words, per side. */
export function summarise(
  ctx: TwoWayContext,
  tally: SideTally,
  totals: Totals,
  outcome: ListingOutcome,
  pages: number,
  holdAboveShare: number,
  single = false,
): RunSummary {
  const test = ctx.mode.test;
  const side = (s: SideTally['register']) =>
    `${test ? 'would create' : 'created'} ${s.created}, ${test ? 'update' : 'updated'} ${s.updated}, ${test ? 'delete' : 'deleted'} ${s.deleted}`;
  const parts = [
    `Two-way${test ? ' (test run: nothing was written)' : ''}. In the register: ${side(tally.register)}.`,
  ];
  parts.push(`At the source: ${side(tally.source)}.`);
  parts.push(`${tally.unchanged} in step.`);
  if (tally.settled > 0) parts.push(`${count(tally.settled, 'conflict')} settled by the policy.`);
  if (tally.conflicts > 0)
    parts.push(
      `${count(tally.conflicts, 'conflict')} ${tally.conflicts === 1 ? 'waits' : 'wait'} for a person: ` +
        'open Conflicts to choose a version.',
    );
  if (tally.held > 0)
    parts.push(
      `${count(tally.held, 'deletion')} held: more than ${Math.round(100 * holdAboveShare)}% of the objects at once. ` +
        'Check why so many vanished; raise the deletion threshold to let them go.',
    );
  if (tally.quarantined > 0)
    parts.push(
      `${tally.quarantined} quarantined by the flap breaker (changed back and forth too often): see their contracts.`,
    );
  const invalid = totals.invalid + (tally.invalid ?? 0);
  if (invalid > 0) parts.push(`${invalid} invalid (see the entries).`);
  if (tally.failed > 0)
    parts.push(`${tally.failed} failed (see the entries); they are tried again next run.`);
  if (single) {
    parts.push('One object was compared (a webhook or a re-sync): deletions wait for a full run.');
  } else if (!outcome.complete) {
    const problem = outcome.problem
      ? describeListingProblem(outcome.problem)
      : 'the listing was not complete';
    parts.push(`The source's listing was not complete (${problem}): nothing was deleted on either side.`);
  } else if (totals.unidentified > 0) {
    parts.push('Some objects had no readable id: nothing was deleted on either side.');
  } else if ((totals.repeated ?? 0) > 0) {
    parts.push(
      'Some objects were listed on two pages, so the listing may have shifted while it was read and left ' +
        'others out: nothing was deleted on either side.',
    );
  }
  // The rule of every run (run-result.ts objectsResult): objects that failed make a run partial, a
  // warning, as a push with the same refused row is; an error only when not one object got through. A
  // listing that broke off is judged as a one-way run's is (a page cap or a loop: a warning; a source
  // that failed: an error). Conflicts, held deletions and quarantines wait for a person: a warning.
  const counts = countsOf(tally, totals);
  const waits = tally.conflicts > 0 || tally.held > 0 || tally.quarantined > 0 ? 'warning' : 'success';
  // (A step stored before problems were typed may hold none: an error, as it was then.)
  const listing = outcome.complete ? 'success' : outcome.problem ? problemSeverity(outcome.problem) : 'error';
  const result = worst(objectsResult(counts), worst(waits, listing));
  return {
    result,
    message: parts.join(' '),
    counts,
    pagesFetched: pages,
    complete: outcome.complete,
    test,
  };
}
