// Which kind of listing a run of an incremental synchronisation makes, what it reads, and where its
// cursor goes when it ends. A full reconciliation lists everything and may delete; an incremental run
// reads from the cursor (inclusive, minus the lookback) up to a bound frozen when the run starts, never
// deletes, and moves the cursor only when it completed.
import type { ListingOutcome } from '../pagination/types';
import { compareCursorValues, earlierOf, isFarFuture, laterOf, shiftBack, type CursorValue } from './values';

export const LISTING_KINDS = ['full', 'incremental'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

export interface IncrementalSettings {
  /** The updated-at field: a dot path into each object (REST) or a column (SQL). */
  readonly field: string;
  /** Read this much before the cursor again (seconds; a number field: its own units). */
  readonly lookbackSeconds: number;
  /** Every Nth run lists everything (null: only when scheduled or asked for). */
  readonly reconcileEveryRuns: number | null;
}

/** What the synchronisation's state row remembers between runs. */
export interface IncrementalState {
  readonly cursor: CursorValue | null;
  /** When the run that set the cursor started: an edit after that makes the next run full. */
  readonly cursorSetAt: Date | null;
  /** Completed incremental runs since the last completed full one. */
  readonly runsSinceFull: number;
}

export type FullBecause = 'no-cursor' | 'requested' | 'every-n-runs' | 'configuration-changed';

/** What a run reads; plain JSON, so the step that freezes it can return it and a follow-on carry it. */
export type ReadWindow =
  | {
      readonly kind: 'full';
      readonly because: FullBecause;
      /** The largest value when the run started (SQL), or null when the source cannot tell (REST). */
      readonly upper: CursorValue | null;
    }
  | {
      readonly kind: 'incremental';
      /** Inclusive: the cursor minus the lookback. */
      readonly lower: CursorValue;
      readonly upper: CursorValue | null;
    };

/** What a page of an incremental synchronisation's run reports on: the updated-at field, in its window. */
export type PageTracking = { readonly field: string; readonly window: ReadWindow };

export interface ChooseInput {
  readonly settings: IncrementalSettings;
  readonly state: IncrementalState;
  /** A person or the reconciliation schedule asked for a full run. */
  readonly requestedFull: boolean;
  readonly configChangedAt: Date;
  readonly mappingChangedAt: Date | null;
  /** The target register schema's last edit (null: another kind of target). */
  readonly targetChangedAt?: Date | null;
}

/** Full or incremental, and why a full one. Decided before the upper bound is known. */
export function chooseListing(
  input: ChooseInput,
):
  | { readonly kind: 'incremental'; readonly cursor: CursorValue }
  | { readonly kind: 'full'; readonly because: FullBecause } {
  const { state, settings } = input;
  if (input.requestedFull) return { kind: 'full', because: 'requested' };
  if (state.cursor === null || state.cursorSetAt === null) return { kind: 'full', because: 'no-cursor' };
  // Objects the cursor has passed were written with the old settings or mapping: an edit (rule 4) must
  // reach every object, which only a full listing does. So must a schema edit: the objects it refused
  // (invalid) are tried again by every listing that reads them, and the cursor has passed them.
  const setAt = state.cursorSetAt.getTime();
  const edited = Math.max(
    input.configChangedAt.getTime(),
    input.mappingChangedAt?.getTime() ?? 0,
    input.targetChangedAt?.getTime() ?? 0,
  );
  if (edited >= setAt) return { kind: 'full', because: 'configuration-changed' };
  const every = settings.reconcileEveryRuns;
  if (every !== null && state.runsSinceFull + 1 >= every) return { kind: 'full', because: 'every-n-runs' };
  return { kind: 'incremental', cursor: state.cursor };
}

/** The window once the upper bound is frozen (null when the source cannot freeze one). */
export function readWindow(
  choice: ReturnType<typeof chooseListing>,
  settings: IncrementalSettings,
  upper: CursorValue | null,
): ReadWindow {
  if (choice.kind === 'full') return { kind: 'full', because: choice.because, upper };
  return { kind: 'incremental', lower: shiftBack(choice.cursor, settings.lookbackSeconds), upper };
}

/**
 * What the pages of a run saw of the field: the largest value, and the smallest value of an object
 * whose write failed for a reason that may pass (it must be read again, so the cursor stops before it).
 */
export interface CursorFacts {
  readonly highest: CursorValue | null;
  readonly lowestRetry: CursorValue | null;
  /** Values far in the future, left out of `highest` (absent: none, or a page memo from before). */
  readonly future?: FutureValues;
}

/** How many objects had an updated-at far in the future, and the latest of those values. */
export interface FutureValues {
  readonly count: number;
  readonly example: CursorValue;
}

export const NO_FACTS: CursorFacts = { highest: null, lowestRetry: null };

export function addFacts(a: CursorFacts | undefined, b: CursorFacts | undefined): CursorFacts {
  const sum = {
    highest: laterOf(a?.highest ?? null, b?.highest ?? null),
    lowestRetry: earlierOf(a?.lowestRetry ?? null, b?.lowestRetry ?? null),
  };
  const [fa, fb] = [a?.future, b?.future];
  if (!fa && !fb) return sum;
  const count = (fa?.count ?? 0) + (fb?.count ?? 0);
  return { ...sum, future: { count, example: laterOf(fa?.example ?? null, fb?.example ?? null)! } };
}

/** The cursor after a run: where it moves, or why it stays. */
export type CursorMove =
  | {
      readonly kind: 'advance';
      readonly cursor: CursorValue;
      readonly heldBackByRetries: boolean;
      readonly future?: FutureValues;
    }
  | {
      readonly kind: 'stay';
      readonly because: 'test-run' | 'incomplete' | 'nothing-read' | 'no-values' | 'future-values';
      readonly future?: FutureValues;
    };

/**
 * Only a complete, real run moves the cursor. It moves to the frozen upper bound (SQL: every row up to
 * it was read) or, where the source cannot freeze one (REST), to the largest value the run read; never
 * past an object that must be retried. It may move back (a source whose largest value went away):
 * the source's own state is what counts, and reading again is harmless.
 */
export function moveCursor(input: {
  readonly window: ReadWindow;
  readonly facts: CursorFacts;
  readonly outcome: ListingOutcome;
  readonly test: boolean;
  /** How many objects the run read (RunCounts.found): none, or only some without a value. */
  readonly found: number;
  /** Concord's clock (epoch ms): a frozen upper bound far in its future is not where the cursor goes. */
  readonly now?: number;
}): CursorMove {
  const { window, facts } = input;
  if (input.test) return { kind: 'stay', because: 'test-run' };
  if (!input.outcome.complete) return { kind: 'stay', because: 'incomplete' };
  const future = facts.future ? { future: facts.future } : {};
  const upper =
    window.upper !== null && !(input.now !== undefined && isFarFuture(window.upper, input.now))
      ? window.upper
      : null;
  const reached = upper ?? facts.highest;
  if (reached === null) {
    if (facts.future) return { kind: 'stay', because: 'future-values', ...future };
    return { kind: 'stay', because: input.found === 0 ? 'nothing-read' : 'no-values' };
  }
  const retry = facts.lowestRetry;
  const heldBack = retry !== null && compareCursorValues(retry, reached) < 0;
  return { kind: 'advance', cursor: heldBack ? retry : reached, heldBackByRetries: heldBack, ...future };
}

/** How the run log names the kind of run, and why a full one. */
export function describeListing(window: ReadWindow): string {
  if (window.kind === 'incremental') {
    const upto = window.upper === null ? '' : ` up to ${String(window.upper)}`;
    return `Incremental run (changes from ${String(window.lower)}${upto}; nothing it did not read is deleted):`;
  }
  const why: Record<FullBecause, string> = {
    'no-cursor': 'there is no cursor: none was taken yet, or it was reset',
    requested: 'it was asked for',
    'every-n-runs': 'it is due after the set number of incremental runs',
    'configuration-changed':
      'the settings, a mapping or the target schema changed since the cursor was taken',
  };
  return `Full reconciliation (${why[window.because]}):`;
}

/** What became of the cursor, for the end of the run's message. */
export function describeCursorMove(move: CursorMove): string {
  const future = move.future ? ` ${describeFuture(move.future)}` : '';
  if (move.kind === 'advance') {
    const held = move.heldBackByRetries ? ' (held back to an object whose write is retried)' : '';
    return `The cursor moved to ${String(move.cursor)}${held}.${future}`;
  }
  const why = {
    'test-run': 'a dry run moves no cursor',
    incomplete: 'the listing is incomplete',
    // An ordinary answer of an API asked for changes since a cursor, not a setting to fix.
    'nothing-read': 'the source answered no object',
    'no-values': 'no object read had a value in the updated-at field',
    'future-values': 'the only values read lie in the future',
  }[move.because];
  return `The cursor stays where it was: ${why}.${future}`;
}

function describeFuture({ count, example }: FutureValues): string {
  const objects = count === 1 ? '1 object read has' : `${count.toLocaleString('en')} objects read have`;
  return `${objects} an updated-at more than a day ahead of Concord’s clock (${String(example)}${count > 1 ? ', the latest' : ''}): the cursor does not go there. Correct it at the source, or its changes are read only by full reconciliations.`;
}
