// Runs (the sync log): requesting one, cancelling it, reading the history, and what filters a run's
// entries (services/run-entries.ts lists them).
import { and, count, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs, runListed, synchronisations, type RunTrigger } from '../db/schema';
import type { RunResult } from '../sync/core/run-result';
import { z } from 'zod';
import { RUN_ENTRY_ACTIONS } from '../sync/ports';
import { forgetListedIds } from '../sync/stores/listed-ids';
import { UserError, notFound } from './errors';
import { readsIncrementally } from './sync-cursor';
import { loadSynchronisation } from './synchronisations';

export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const;

export interface RunRequest {
  trigger: RunTrigger;
  test?: boolean;
  force?: boolean;
  /** Incremental synchronisations: list everything (a full reconciliation) instead of the changes. */
  full?: boolean;
  requestedBy?: string | null;
  /**
   * Queue a run even while one is running, unless one is already queued: a run reads what it applies
   * when it starts (a conflict's resolution), so the running one would not write it. The executors
   * still start it only once the running one has ended.
   */
  behindRunning?: boolean;
}

/**
 * Queues a run. A synchronisation never runs twice at once: while one is queued or running, a new
 * request gets that run back (a dry run may go alongside, since it writes nothing).
 */
export async function requestRun(db: Db, orgId: string, syncId: string, request: RunRequest) {
  const sync = await loadSynchronisation(db, orgId, syncId);
  if (!sync.enabled && !request.test) {
    const why = sync.disabledReason ? ` ${sync.disabledReason}` : '';
    throw new UserError(
      'BAD_REQUEST',
      `This synchronisation is disabled.${why} Enable it first, or start a test run.`,
    );
  }
  const test = request.test ?? false;
  // The look and the insert in one write transaction: requests arriving together (a schedule's tick as
  // a person presses Run now) would otherwise each find none queued and each queue a run.
  return db.transaction(async (tx) => {
    const [active] = await tx
      .select()
      .from(runs)
      .where(
        and(
          eq(runs.synchronisationId, syncId),
          eq(runs.test, test),
          inArray(runs.status, request.behindRunning ? ['queued'] : [...ACTIVE_RUN_STATUSES]),
        ),
      )
      .limit(1);
    if (active) return { run: active, alreadyActive: true };
    const [run] = await tx
      .insert(runs)
      .values({
        orgId,
        synchronisationId: syncId,
        trigger: request.trigger,
        test,
        force: request.force ?? false,
        listing: request.full && readsIncrementally(sync) ? 'full' : null,
        requestedBy: request.requestedBy ?? null,
      })
      .returning();
    return { run: run!, alreadyActive: false };
  });
}

export async function loadRun(db: Db, orgId: string, runId: string) {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.orgId, orgId), eq(runs.id, runId)));
  if (!row) throw notFound('The run');
  return row;
}

/** Asks a queued or running run to stop; the executor stops before its next step. */
export async function cancelRun(db: Db, orgId: string, runId: string) {
  const run = await loadRun(db, orgId, runId);
  if (run.status === 'finished' || run.status === 'cancelled') {
    throw new UserError(
      'CONFLICT',
      `This run has already ${run.status === 'finished' ? 'finished' : 'been cancelled'}.`,
    );
  }
  const now = new Date();
  await db
    .update(runs)
    .set({
      status: 'cancelled',
      result: 'warning',
      message: 'Cancelled by a person. Nothing more was written or deleted.',
      finishedAt: now,
    })
    .where(and(eq(runs.orgId, orgId), eq(runs.id, runId), inArray(runs.status, [...ACTIVE_RUN_STATUSES])));
  await db.delete(runListed).where(eq(runListed.runId, runId));
  forgetListedIds(runId);
  return loadRun(db, orgId, runId);
}

export interface RunListQuery extends RunFilters {
  limit: number;
  /** Keyset paging: runs created before this one. */
  before?: string;
}

export async function listRuns(db: Db, orgId: string, q: RunListQuery) {
  const filters: (SQL | undefined)[] = [runFiltersWhere(orgId, q)];
  if (q.before) {
    // The run a page ended on may be gone since (log retention) or never this organisation's: that is
    // a page link to start again from, not a run the caller asked for ("The run was not found").
    const pivot = await loadRun(db, orgId, q.before).catch((error: unknown) => {
      if (error instanceof UserError && error.code === 'NOT_FOUND')
        throw new UserError(
          'BAD_REQUEST',
          'The run this page link starts after is gone (old runs are removed): start again from the first page.',
          'cursor',
        );
      throw error;
    });
    filters.push(
      or(
        lt(runs.createdAt, pivot.createdAt),
        and(eq(runs.createdAt, pivot.createdAt), lt(runs.id, pivot.id)),
      ),
    );
  }
  return db
    .select({ run: runs, syncName: synchronisations.name })
    .from(runs)
    .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
    .where(and(...filters))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(q.limit);
}

/** What narrows a run's entries: the action, an exact reason (an error group), a text in the id or reason. */
export const runEntryFilterSchema = z.object({
  action: z.enum(RUN_ENTRY_ACTIONS).optional(),
  reason: z.string().max(2000).optional(),
  search: z.string().max(200).optional(),
});
export type RunEntryFilter = z.output<typeof runEntryFilterSchema>;

/** The filters of the logs across runs; each is kept in the page's URL. */
export interface RunFilters {
  syncId?: string;
  /** A finished run's result, or `running` (queued or running) and `cancelled`. */
  result?: RunResult | 'running' | 'cancelled';
  trigger?: RunTrigger;
  /** Runs queued on or after `from` and before `to`. */
  from?: Date;
  to?: Date;
}

export interface RunSearch extends RunFilters {
  page: number;
  pageSize: number;
}

function runFiltersWhere(orgId: string, q: RunFilters): SQL | undefined {
  return and(
    eq(runs.orgId, orgId),
    q.syncId ? eq(runs.synchronisationId, q.syncId) : undefined,
    q.result === 'running'
      ? inArray(runs.status, [...ACTIVE_RUN_STATUSES])
      : q.result === 'cancelled'
        ? eq(runs.status, 'cancelled')
        : q.result
          ? and(eq(runs.status, 'finished'), eq(runs.result, q.result))
          : undefined,
    q.trigger ? eq(runs.trigger, q.trigger) : undefined,
    q.from ? gte(runs.createdAt, q.from) : undefined,
    q.to ? lt(runs.createdAt, q.to) : undefined,
  );
}

/** The organisation's runs, newest first, filtered and counted: a page at a time, on the server. */
export async function searchRuns(db: Db, orgId: string, q: RunSearch) {
  const where = runFiltersWhere(orgId, q);
  const [rows, [total]] = await Promise.all([
    db
      .select({ run: runs, syncName: synchronisations.name })
      .from(runs)
      .innerJoin(synchronisations, eq(synchronisations.id, runs.synchronisationId))
      .where(where)
      .orderBy(desc(runs.createdAt), desc(runs.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(runs).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}
