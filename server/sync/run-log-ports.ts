// The run log's side of the ports (server/sync/ports.ts re-exports it): what a run records as it goes —
// per-object entries, progress, the timeline — and its finish.
import type { ListingKind } from './core/incremental/window';
import type { RunCounts, RunSummary } from './core/run-result';

export const RUN_ENTRY_ACTIONS = [
  'create',
  'update',
  'delete',
  'hold',
  'invalid',
  'failed',
  'conflict',
] as const;
export type RunEntryAction = (typeof RUN_ENTRY_ACTIONS)[number];

export interface RunEntry {
  readonly originId: string | null;
  readonly action: RunEntryAction;
  readonly reason: string | null;
  /** In test mode, the mapped object that would be written. */
  readonly object?: Readonly<Record<string, unknown>>;
}

export interface RunProgress {
  readonly pagesFetched: number;
  /** Cumulative, so recording it twice (a retried step) changes nothing. */
  readonly counts: RunCounts;
  /** The number of objects the source says it holds, when a page said so. */
  readonly total?: number;
}

export const RUN_EVENT_KINDS = [
  'page',
  'page-failed',
  'retry',
  'listing-end',
  'deletion-plan',
  'deletions',
  // The schedule's word on the run: requested long after its time, or a time that came while it went.
  'schedule',
] as const;
export type RunEventKind = (typeof RUN_EVENT_KINDS)[number];

/**
 * A line of the run's timeline: a page read, a retry of its request, the end of the listing, the
 * deletion plan and each deletion batch. One per page, never one per object.
 */
export interface TimelineEvent {
  readonly kind: RunEventKind;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly page?: number;
  readonly url?: string;
  readonly status?: number;
  readonly durationMs?: number;
  readonly objects?: number;
  readonly waitMs?: number;
  readonly detail?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface RunRecorder {
  /**
   * Per-object errors, and in test mode what would be written. `batchKey` (`page-3`, `deletions-2`) is
   * stable across retries: a recorder replaces the entries of a batch it has seen before. The batch's
   * timeline lines (its page, the retries of its request, a deletion batch) are replaced with them.
   */
  entries(batchKey: string, entries: readonly RunEntry[], timeline?: readonly TimelineEvent[]): Promise<void>;
  progress(progress: RunProgress): Promise<void>;
  /**
   * A listing page's entries and timeline lines (as `entries`) with the run's progress after it (as
   * `progress`), in one write. Recorders without it get the two calls.
   */
  pageDone?(
    batchKey: string,
    entries: readonly RunEntry[],
    timeline: readonly TimelineEvent[],
    progress: RunProgress,
  ): Promise<void>;
  /** Incremental synchronisations: which kind of listing this run makes, said before its first page. */
  listing?(kind: ListingKind): Promise<void>;
  finish(summary: RunSummary): Promise<void>;
}
