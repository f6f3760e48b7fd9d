// Run counts and the run's result (success, warning, error) with a message a person can act on.
// This is where engine outcomes become words, so every log says things the same way.
import type { RunMode } from './one-way';
import type { DeletionPlan } from './deletions';
import {
  describeCursorMove,
  describeListing,
  type CursorMove,
  type ListingKind,
  type ReadWindow,
} from './incremental/window';
import { describeListingProblem } from './pagination/problems';
import { problemSeverity, type ListingOutcome } from './pagination/types';
import { nameUnreadable } from './unreadable';

export const RUN_RESULTS = ['success', 'warning', 'error'] as const;
export type RunResult = (typeof RUN_RESULTS)[number];

export interface RunCounts {
  readonly found: number;
  readonly created: number;
  /** Written, and the target's content changed. */
  readonly updated: number;
  /**
   * Written again although the target's content stayed the same: a forced run, or a source change the
   * mapping does not carry. Apart from `updated` so that a forced run says how much really changed.
   */
  readonly rewritten: number;
  readonly deleted: number;
  readonly skipped: number;
  readonly invalid: number;
  readonly failed: number;
  readonly filtered: number;
  readonly held: number;
  /**
   * Of the invalid ones: objects whose id could not be read at all. Any of them may be an object missing
   * from the listing, so a run that has one deletes nothing (safety rule 9). Not a column of the log.
   */
  readonly unidentified: number;
  /**
   * Of the invalid ones: objects whose id an earlier page of the same full listing already held. A list
   * that shifts while it is read (an object deleted or added at the source meanwhile, an unstable sort)
   * repeats one object where it leaves another out, so a run that has one deletes nothing either. An
   * incremental run's re-read is not one. Not a column of the log.
   */
  readonly repeated?: number;
  /**
   * Of the skipped ones: objects on pages decided from their memos (page-memo.ts) — each with a synced
   * contract, and listed once in the run (so also in withContract). Not a column of the log.
   */
  readonly fromMemo?: number;
  /**
   * Objects the run left with a contract of their own that is not deleted — written by it (synced, or
   * failed, rejected or invalid with the reason), kept as it was, or found clean (a memo's page, the
   * lookup's skip check): a repeat has no contract of its own, nor has a dry run's object, a new filtered
   * one or an update the target did not have. Counted as `found` is (an incremental run's re-read twice,
   * in both; such runs plan no deletions). When every object found has one and exactly as many contracts
   * are active, they are those: deletion planning need not walk them (finish-run.ts). Not a column of
   * the log.
   */
  readonly withContract?: number;
}

// prettier-ignore
export const ZERO_COUNTS: RunCounts = {
  found: 0, created: 0, updated: 0, rewritten: 0, deleted: 0, skipped: 0, invalid: 0, failed: 0, filtered: 0,
  held: 0, unidentified: 0,
};

/** Field by field; a field missing on either side (counts a step stored before it existed) is 0. */
export function addCounts(a: RunCounts, b: Partial<RunCounts>): RunCounts {
  const sum = { ...ZERO_COUNTS, ...a };
  for (const key of Object.keys(b) as (keyof RunCounts)[]) sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  return sum;
}

/** Plain JSON (no Dates) so a durable step can return it. */
export interface RunSummary {
  readonly result: RunResult;
  readonly message: string;
  readonly counts: RunCounts;
  readonly pagesFetched: number;
  readonly complete: boolean;
  readonly test: boolean;
  /** Set when the listing stopped at the page cap: the cap it hit (the sync's page offers to raise it). */
  readonly pageCap?: number | null;
  /**
   * Records of a file read to its end that could not be read (malformed lines): the listing is complete,
   * but not for deletions (the run's log says so).
   */
  readonly unreadable?: number;
  /** Incremental synchronisations: the kind of listing, and where the cursor goes (the finish step stores it). */
  readonly incremental?: { readonly listing: ListingKind; readonly move: CursorMove };
}

export interface SummaryInput {
  readonly outcome: ListingOutcome;
  readonly counts: RunCounts;
  readonly deletion: DeletionPlan;
  readonly mode: RunMode;
  readonly incremental?: { readonly window: ReadWindow; readonly move: CursorMove };
}

export function summariseRun(input: SummaryInput): RunSummary {
  const summary = summariseListing(input);
  const { incremental } = input;
  if (!incremental) return summary;
  // The log says which kind of run it was, and what became of the cursor; updated-at values far in the
  // future make it a warning (the source needs correcting, or its changes wait for a full run).
  const warned =
    incremental.move.future && summary.result === 'success' ? { result: 'warning' as const } : {};
  return {
    ...summary,
    ...warned,
    message: `${describeListing(incremental.window)} ${summary.message} ${describeCursorMove(incremental.move)}`,
    incremental: { listing: incremental.window.kind, move: incremental.move },
  };
}

function summariseListing({ outcome, counts, deletion, mode }: SummaryInput): RunSummary {
  const unreadable = outcome.complete ? (outcome.unreadable?.count ?? 0) : 0;
  const base = {
    counts,
    pagesFetched: outcome.pages,
    complete: outcome.complete,
    test: mode.test,
    ...(unreadable > 0 ? { unreadable } : {}),
  };
  const tally = describeCounts(counts, mode.test);
  const dryRun = mode.test ? 'Dry run, nothing was written: ' : '';
  if (!outcome.complete) {
    const severity = problemSeverity(outcome.problem);
    const done = outcome.pages > 0 ? ` Before that: ${tally}` : '';
    const problem = `${describeListingProblem(outcome.problem)} — the listing is incomplete, so nothing was deleted.`;
    const pageCap = outcome.problem.kind === 'page-cap' ? outcome.problem.maxPages : null;
    return { ...base, result: severity, message: `${dryRun}${problem}${done}`, pageCap };
  }
  const refused = counts.invalid + counts.failed;
  const notes: string[] = [];
  if (deletion.kind === 'hold') {
    const percent = Math.round(deletion.share * 100);
    notes.push(
      `${deletion.candidates} of ${deletion.total} objects (${percent} %) disappeared from the source, more than the ` +
        `${Math.round(deletion.limit * 100)} % limit: their deletion is held for approval.`,
    );
  }
  if (deletion.kind === 'none' && deletion.reason === 'unidentified-objects') {
    const { candidates, unidentified } = deletion;
    notes.push(
      `${objects(candidates)} ${candidates === 1 ? 'is' : 'are'} no longer listed, but ${objects(unidentified)} ` +
        `in the listing had no usable id and may be ${candidates === 1 ? 'it' : 'among them'}, so ` +
        `${mode.test ? 'a real run would delete' : 'Concord deleted'} nothing (the invalid entries say where ` +
        `${unidentified === 1 ? 'that object is' : 'those objects are'}).`,
    );
  }
  if (deletion.kind === 'none' && deletion.reason === 'repeated-ids') {
    const { candidates, repeated } = deletion;
    notes.push(
      `${objects(candidates)} ${candidates === 1 ? 'is' : 'are'} no longer listed, but ${objects(repeated)} ` +
        `${repeated === 1 ? 'was' : 'were'} listed on two pages of this listing, so the listing may have ` +
        `shifted while it was read and left ${candidates === 1 ? 'that object' : 'those objects'} out: ` +
        `${mode.test ? 'a real run would delete' : 'Concord deleted'} nothing (the invalid entries name ` +
        `the ${repeated === 1 ? 'repeat' : 'repeats'}; a source that pages by a stable order, or by cursor, ` +
        `does not shift).`,
    );
  }
  if (deletion.kind === 'preview' && deletion.wouldHold) {
    notes.push(
      `A real run would hold these ${deletion.candidates} deletions for approval: more than ` +
        `${Math.round(deletion.limit * 100)} % of the ${deletion.total} objects.`,
    );
  }
  // Per-object refusals make a run partial (a warning); an error only when nothing got through.
  const none = objectsResult(counts) === 'error';
  if (refused > 0) {
    const opening = mode.test
      ? none
        ? 'Nothing would be synchronised'
        : 'Some objects would not be synchronised'
      : none
        ? 'Nothing was synchronised'
        : 'Partly synchronised';
    notes.push(`${opening}: ${refusals(counts)}.`);
  }
  if (deletion.kind === 'none' && deletion.reason === 'unreadable-records') {
    const what = `${nameUnreadable(deletion.unreadable)} could not be read, so Concord cannot tell which objects left the file.`;
    notes.push(
      `${mode.test ? 'A real run would not carry out deletions' : 'Deletions were not carried out'}: ${what}`,
    );
  }
  const result: RunResult = none ? 'error' : notes.length > 0 ? 'warning' : 'success';
  const opening = mode.test ? `${dryRun}${tally}` : capitalise(tally);
  return { ...base, result, message: [opening, ...notes].join(' ') };
}

/**
 * The result the objects alone give a run: per-object refusals (invalid or failed) make it partial, a
 * warning; it is an error only when not a single object got through. Every run whose objects were all
 * handled (a listing, a batch pushed through the API) is judged by this one rule.
 */
export function objectsResult(counts: RunCounts): RunResult {
  const refused = counts.invalid + counts.failed;
  if (refused === 0) return 'success';
  const doneWell = counts.created + counts.updated + counts.rewritten + counts.skipped + counts.deleted;
  return doneWell === 0 ? 'error' : 'warning';
}

/**
 * A run's summary with the objects the target refused in an earlier run and that stand refused: the run
 * skips them (not sent again until they change) and counts them unchanged, so its message says they are
 * still missing from the target. Only for a real run none of whose own objects failed (those the message
 * names already); `standing` is the synchronisation's refused contracts after the run.
 */
export function withStandingRefusals(summary: RunSummary, standing: number): RunSummary {
  if (standing <= 0 || summary.test || summary.counts.failed > 0) return summary;
  const note =
    standing === 1
      ? '1 object the target refused in an earlier run is still refused: it is sent again once it changes (its contract says why).'
      : `${standing} objects the target refused in earlier runs are still refused: each is sent again once it changes (their contracts say why).`;
  return { ...summary, message: `${summary.message} ${note}` };
}

/** A run that could not start (invalid configuration, disabled source): nothing was read or written. */
export function summariseFailure(message: string, mode: RunMode): RunSummary {
  return { result: 'error', message, counts: ZERO_COUNTS, pagesFetched: 0, complete: false, test: mode.test };
}

function describeCounts(counts: RunCounts, test: boolean): string {
  const parts = [
    `${test ? 'would create' : 'created'} ${counts.created}`,
    `${test ? 'update' : 'updated'} ${counts.updated}`,
  ];
  if (counts.rewritten > 0) parts.push(`${test ? 'rewrite' : 'rewrote'} ${counts.rewritten} unchanged`);
  // A dry run counts the deletions it would make as a real run counts those it made (finish-run.ts).
  parts.push(`${test ? 'delete' : 'deleted'} ${counts.deleted}`, `unchanged ${counts.skipped}`);
  if (counts.filtered > 0) parts.push(`filtered out ${counts.filtered}`);
  return `${parts.join(', ')} of ${counts.found} objects.`;
}

/** The two ways an object is refused, in the words the log, the counts and the docs all use. */
function refusals(counts: RunCounts): string {
  const parts: string[] = [];
  if (counts.invalid > 0) parts.push(`${counts.invalid} invalid (refused by Concord before writing)`);
  if (counts.failed > 0) parts.push(`${counts.failed} failed (refused by the target, or it did not answer)`);
  return `${parts.join(' and ')}; each has its reason in the entries`;
}

function objects(n: number): string {
  return `${n} ${n === 1 ? 'object' : 'objects'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
