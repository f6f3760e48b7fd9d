// The sync log: run history, one run, its per-object entries, cancelling.
import { z } from 'zod';
import { notifyCancelled } from '../../runner/dispatch';
import { cancelRun, listRunEntries, listRuns, loadRun } from '../../services/runs';
import { orgProcedure, router } from '../init';

const byId = z.object({ runId: z.string().min(1) });

export const runsRouter = router({
  list: orgProcedure('runs.read')
    .input(
      z.object({
        syncId: z.string().optional(),
        limit: z.int().min(1).max(200).default(50),
        before: z.string().optional(),
      }),
    )
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.org.orgId, input)),

  get: orgProcedure('runs.read')
    .input(byId)
    .query(({ ctx, input }) => loadRun(ctx.db, ctx.org.orgId, input.runId)),

  entries: orgProcedure('runs.read')
    .input(byId.extend({ page: z.int().min(1).default(1), pageSize: z.int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => listRunEntries(ctx.db, ctx.org.orgId, input.runId, input)),

  cancel: orgProcedure('syncs.run')
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const run = await cancelRun(ctx.db, ctx.org.orgId, input.runId);
      await notifyCancelled(run.id);
      return run;
    }),
});
