// The sync log: run history (filtered across runs), one run and its names, its per-object entries
// (filtered, grouped by reason), its timeline, the changes it delivered, the recent runs' numbers, cancelling.
import { z } from 'zod';
import { RUN_TRIGGERS } from '../../db/schema';
import { runEntryGroups, runTimeline } from '../../services/run-log';
import { RUN_RESULTS } from '../../sync/core/run-result';
import { notifyCancelled } from '../../runner/dispatch';
import { contractIdsByOrigin } from '../../services/contracts';
import { runNames, runStats } from '../../services/run-stats';
import { listRunEntries } from '../../services/run-entries';
import { cancelRun, listRuns, loadRun, runEntryFilterSchema, searchRuns } from '../../services/runs';
import { changesOfRun } from '../../sync/stores/run-changes';
import { orgProcedure, router } from '../init';

const byId = z.object({ runId: z.string().min(1) });
const paged = { page: z.int().min(1).default(1), pageSize: z.int().min(1).max(500).default(100) };

export const runsRouter = router({
  list: orgProcedure('runs.read')
    .input(
      z.object({
        syncId: z.string().optional(),
        limit: z.int().min(1).max(200).default(50),
        before: z.string().optional(),
        /** The same as `before`, under the name TanStack's infinite queries use. */
        cursor: z.string().nullish(),
      }),
    )
    .query(({ ctx, input }) =>
      listRuns(ctx.db, ctx.org.orgId, { ...input, before: input.before ?? input.cursor ?? undefined }),
    ),

  /** The logs across runs: filtered by synchronisation, result, trigger and date, a page at a time. */
  search: orgProcedure('runs.read')
    .input(
      z.object({
        syncId: z.string().optional(),
        result: z.enum([...RUN_RESULTS, 'running', 'cancelled']).optional(),
        trigger: z.enum(RUN_TRIGGERS).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        page: paged.page,
        pageSize: z.int().min(1).max(200).default(25),
      }),
    )
    .query(({ ctx, input }) => searchRuns(ctx.db, ctx.org.orgId, input)),

  get: orgProcedure('runs.read')
    .input(byId)
    .query(({ ctx, input }) => loadRun(ctx.db, ctx.org.orgId, input.runId)),

  /** The names a run's page shows (its synchronisation, who asked for it). */
  names: orgProcedure('runs.read')
    .input(byId)
    .query(({ ctx, input }) => runNames(ctx.db, ctx.org.orgId, input.runId)),

  entries: orgProcedure('runs.read')
    .input(byId.extend(paged).extend(runEntryFilterSchema.shape))
    .query(async ({ ctx, input }) => {
      const run = await loadRun(ctx.db, ctx.org.orgId, input.runId);
      const page = await listRunEntries(ctx.db, ctx.org.orgId, input.runId, input);
      const origins = page.rows.flatMap((row) => (row.originId === null ? [] : [row.originId]));
      const contractIds = await contractIdsByOrigin(ctx.db, ctx.org.orgId, run.synchronisationId, origins);
      const rows = page.rows.map((row) => ({
        ...row,
        contractId: row.originId === null ? null : (contractIds.get(row.originId) ?? null),
      }));
      return { rows, total: page.total };
    }),

  /** The run's entries by action and reason, with counts and a few example objects each. */
  entryGroups: orgProcedure('runs.read')
    .input(byId)
    .query(({ ctx, input }) => runEntryGroups(ctx.db, ctx.org.orgId, input.runId)),

  /** Each page read (masked URL, status, time, objects), each retry and why, the deletion phase. */
  timeline: orgProcedure('runs.read')
    .input(byId.extend(paged))
    .query(({ ctx, input }) => runTimeline(ctx.db, ctx.org.orgId, input.runId, input)),

  /** A push run's "Changes delivered": each change id, its register object and how it ended. */
  changes: orgProcedure('runs.read')
    .input(byId)
    .query(async ({ ctx, input }) => {
      await loadRun(ctx.db, ctx.org.orgId, input.runId);
      return changesOfRun(ctx.db, ctx.org.orgId, input.runId);
    }),

  /** The last `limit` finished runs' counts and durations, oldest first. */
  stats: orgProcedure('runs.read')
    .input(z.object({ syncId: z.string().optional(), limit: z.int().min(1).max(200).default(30) }))
    .query(({ ctx, input }) => runStats(ctx.db, ctx.org.orgId, input)),

  cancel: orgProcedure('syncs.run')
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const run = await cancelRun(ctx.db, ctx.org.orgId, input.runId);
      await notifyCancelled(run.id);
      return run;
    }),
});
