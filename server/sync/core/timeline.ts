// The run's timeline in lines a person reads: each page read (URL, status, time, objects), each retry
// of its request — or of a write to the target — with why and how long it waited, how the listing ended, and the deletion phase. Pure:
// the lines go to the run recorder with the step's entries, under its batch key, so a retried step
// replaces them instead of adding more.
import type { RetryFact, SourcePage, TimelineEvent, WriteRetry } from '../ports';
import type { DeletionPlan } from './deletions';
import { describeListingProblem } from './pagination/problems';
import { objectCount, type ListingOutcome } from './pagination/types';
import type { RunCounts } from './run-result';
import { nameUnreadable } from './unreadable';

/** How long the engine waited for the page: what the timeline shows when the source did not time it. */
export interface PageRead {
  readonly startedAt: number;
  readonly durationMs: number;
}

function retryLines(page: number, retries: readonly RetryFact[]): TimelineEvent[] {
  return retries.map((r) => ({
    kind: 'retry',
    at: r.at,
    page,
    waitMs: r.waitMs,
    detail: r.reason,
    ...(r.status === undefined ? {} : { status: r.status }),
    data: { attempt: r.attempt, cause: r.cause },
  }));
}

/** The retries of a page's writes, each naming its write (method and origin id). */
export function writeRetryLines(page: number, retries: readonly WriteRetry[]): TimelineEvent[] {
  return retryLines(
    page,
    retries.map((r) => ({ ...r, reason: `${r.request}: ${r.reason}` })),
  ).map((line) => ({ ...line, data: { ...line.data, write: true } }));
}

/** The next page of a listing, and how long the engine waited for it. */
export async function timedNext<T, R>(pages: AsyncGenerator<T, R, void>) {
  const startedAt = Date.now();
  const first = await pages.next();
  return { first, read: { startedAt, durationMs: Date.now() - startedAt } satisfies PageRead };
}

/** A page read: its retries first, then the page, then the end of the listing when it is the last. */
export function pageTimeline(page: SourcePage<unknown>, read: PageRead): TimelineEvent[] {
  const fetch = page.fetch;
  const url = fetch?.url ?? page.url;
  const lines = retryLines(page.number, fetch?.retries ?? []);
  lines.push({
    kind: 'page',
    at: fetch?.startedAt ?? read.startedAt,
    page: page.number,
    durationMs: fetch?.durationMs ?? read.durationMs,
    objects: objectCount(page),
    ...(url === undefined ? {} : { url }),
    ...(fetch?.status === undefined ? {} : { status: fetch.status }),
    ...(page.total === undefined ? {} : { data: { total: page.total } }),
  });
  if (page.then.kind === 'end') lines.push(listingEnd(page.then.outcome, read.startedAt + read.durationMs));
  return lines;
}

/**
 * A run that reads no URL (a push from the register, one object by webhook or re-sync, a batch pushed
 * through the API): its one page, in words.
 */
export function objectsTimeline(
  at: number,
  objects: number,
  detail: string,
  /** Left out when the objects came with the request: nothing was read. */
  durationMs?: number,
): TimelineEvent[] {
  return [
    { kind: 'page', at, page: 1, objects, detail, ...(durationMs === undefined ? {} : { durationMs }) },
  ];
}

/** A step that found no page: the request failed (its retries and the failure), or the listing was over. */
export function endTimeline(outcome: ListingOutcome, read: PageRead): TimelineEvent[] {
  const end = read.startedAt + read.durationMs;
  if (outcome.complete) return [listingEnd(outcome, end)];
  const problem = outcome.problem;
  const fetch = problem.kind === 'transport' ? problem.fetch : undefined;
  const url = fetch?.url ?? ('url' in problem ? problem.url : undefined);
  const status = fetch?.status ?? (problem.kind === 'http-status' ? problem.status : undefined);
  return [
    ...retryLines(problem.page, fetch?.retries ?? []),
    {
      kind: 'page-failed',
      at: fetch?.startedAt ?? read.startedAt,
      page: problem.page,
      durationMs: fetch?.durationMs ?? read.durationMs,
      detail: describeListingProblem(problem),
      ...(url === undefined ? {} : { url }),
      ...(status === undefined ? {} : { status }),
    },
    listingEnd(outcome, end),
  ];
}

function listingEnd(outcome: ListingOutcome, at: number): TimelineEvent {
  const pages = `${outcome.pages} ${outcome.pages === 1 ? 'page' : 'pages'}`;
  return {
    kind: 'listing-end',
    at,
    data: { complete: outcome.complete, pages: outcome.pages },
    detail: outcome.complete
      ? outcome.unreadable && outcome.unreadable.count > 0
        ? `The file was read to its end (${pages}), but ${nameUnreadable(outcome.unreadable)} could not be read.`
        : outcome.repeatedLast
          ? `The listing is complete: ${pages} read; the numbers after page ${outcome.pages} answered that page again, so it is the last.`
          : `The listing is complete: ${pages} read.`
      : `The listing stopped after ${pages}: ${describeListingProblem(outcome.problem)}.`,
  };
}

type NoDeletion = Extract<DeletionPlan, { kind: 'none' }>;

const NO_DELETION: Record<Exclude<NoDeletion['reason'], 'unreadable-records'>, string> = {
  'incomplete-listing': 'No deletions: the listing was not complete.',
  'source-disabled': 'No deletions: the source is disabled.',
  'policy-none': 'No deletions: the synchronisation never deletes.',
  'nothing-vanished': 'No deletions: every object is still at the source.',
  'incremental-run': 'No deletions: an incremental run lists only what changed.',
  'unidentified-objects':
    'No deletions: some listed objects had no readable id, so any could be one of them.',
  'repeated-ids':
    'No deletions: an object was listed on two pages, so the listing shifted while it was read and may have left others out.',
};

/** The deletion plan: nothing to do (and why), a preview, held for approval, or carried out. */
export function deletionPlanTimeline(plan: DeletionPlan, at: number): TimelineEvent[] {
  const base = { kind: 'deletion-plan' as const, at, data: { plan: plan.kind } };
  switch (plan.kind) {
    case 'none':
      return [{ ...base, detail: noDeletion(plan) }];
    case 'preview':
      return [
        {
          ...base,
          objects: plan.candidates,
          detail: `${plan.candidates} of ${plan.total} objects are gone from the source: a real run would ${plan.wouldHold ? 'hold them for approval' : 'delete them'}.`,
        },
      ];
    case 'hold':
      return [
        {
          ...base,
          objects: plan.candidates,
          detail: `${plan.candidates} of ${plan.total} objects are gone from the source, more than ${Math.round(plan.limit * 100)} %: held for approval.`,
        },
      ];
    case 'apply':
      return [
        {
          ...base,
          objects: plan.candidates,
          detail: `${plan.candidates} of ${plan.total} objects are gone from the source: deleting them (${plan.policy}).`,
        },
      ];
  }
}

/** One batch of held deletions a person approved, and what became of it. */
export function approvalBatchTimeline(
  batch: number,
  deleted: number,
  failed: number,
  read: PageRead,
): TimelineEvent[] {
  return [
    {
      kind: 'deletions',
      at: read.startedAt,
      durationMs: read.durationMs,
      objects: deleted + failed,
      detail: `Batch ${batch}: ${deleted} approved ${deleted === 1 ? 'deletion' : 'deletions'} carried out${failed > 0 ? `, ${failed} failed` : ''}.`,
      data: { batch, plan: 'approved', deleted, held: 0, failed },
    },
  ];
}

/** One batch of the deletion phase and what became of it. */
export function deletionBatchTimeline(
  batch: number,
  plan: DeletionPlan,
  listed: number,
  counts: Partial<RunCounts>,
  read: PageRead,
): TimelineEvent[] {
  const deleted = counts.deleted ?? 0;
  const held = counts.held ?? 0;
  const failed = counts.failed ?? 0;
  const detail =
    plan.kind === 'preview'
      ? `Batch ${batch}: ${listed} would be deleted.`
      : plan.kind === 'hold'
        ? `Batch ${batch}: ${held} held for approval.`
        : `Batch ${batch}: ${deleted} deleted${failed > 0 ? `, ${failed} failed` : ''}` +
          `${held > 0 ? `, ${held} held again for a person's decision` : ''}.`;
  return [
    {
      kind: 'deletions',
      at: read.startedAt,
      durationMs: read.durationMs,
      objects: listed,
      detail,
      data: { batch, plan: plan.kind, deleted, held, failed },
    },
  ];
}

function noDeletion(plan: NoDeletion): string {
  if (plan.reason === 'unreadable-records')
    return `No deletions: ${nameUnreadable(plan.unreadable)} of the file could not be read, so it is not known which objects left it.`;
  return NO_DELETION[plan.reason];
}
