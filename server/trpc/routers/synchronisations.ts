// Synchronisations: configuration, enabling, running now (normal, test or force).
import { z } from 'zod';
import { dispatchRun } from '../../runner/dispatch';
import { requestRun } from '../../services/runs';
import { describeSchedule } from '../../services/schedule';
import * as syncs from '../../services/synchronisations';
import { disableWebhook, enableWebhook } from '../../services/webhooks';
import { orgProcedure, router } from '../init';

const byId = z.object({ syncId: z.string().min(1) });

export const synchronisationsRouter = router({
  list: orgProcedure('syncs.read').query(({ ctx }) => syncs.listSynchronisations(ctx.db, ctx.org.orgId)),

  get: orgProcedure('syncs.read')
    .input(byId)
    .query(({ ctx, input }) => syncs.loadSynchronisation(ctx.db, ctx.org.orgId, input.syncId)),

  create: orgProcedure('syncs.write')
    .input(syncs.synchronisationInput)
    .mutation(({ ctx, input }) => syncs.createSynchronisation(ctx.db, ctx.org.orgId, input)),

  update: orgProcedure('syncs.write')
    .input(syncs.synchronisationInput.extend(byId.shape))
    .mutation(({ ctx, input }) => syncs.updateSynchronisation(ctx.db, ctx.org.orgId, input.syncId, input)),

  setEnabled: orgProcedure('syncs.write')
    .input(byId.extend({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      syncs.setSynchronisationEnabled(ctx.db, ctx.org.orgId, input.syncId, input.enabled),
    ),

  delete: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => syncs.deleteSynchronisation(ctx.db, ctx.org.orgId, input.syncId)),

  run: orgProcedure('syncs.run')
    .input(byId.extend({ test: z.boolean().default(false), force: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const { run, alreadyActive } = await requestRun(ctx.db, ctx.org.orgId, input.syncId, {
        trigger: 'manual',
        test: input.test,
        force: input.force,
        requestedBy: ctx.user.id,
      });
      if (!alreadyActive) await dispatchRun(ctx.db, run);
      return { runId: run.id, alreadyActive };
    }),

  enableWebhook: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => enableWebhook(ctx.db, ctx.org.orgId, input.syncId)),

  disableWebhook: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => disableWebhook(ctx.db, ctx.org.orgId, input.syncId)),

  describeSchedule: orgProcedure('syncs.read')
    .input(z.object({ cron: z.string().min(1).max(200), timezone: z.string().default('UTC') }))
    .query(({ input }) => describeSchedule(input.cron, input.timezone)),
});
