// Connections: discovering a source's data types, creating the schemas, mappings and synchronisations
// of the selected ones in one action, and running, scheduling and watching them together.
import { z } from 'zod';
import { dispatchRun } from '../../runner/dispatch';
import { urlPolicy } from '../../runner/url-policy';
import { connectionStatus, requestConnectionRun } from '../../services/connection-runs';
import * as connections from '../../services/connections';
import { discoverSource } from '../../services/discover';
import { orgProcedure, router, strictOrgInput } from '../init';

const byId = z.object({ connectionId: z.string().min(1) });

export const connectionsRouter = router({
  // 'sources.write' as for Test connection: a viewer must not be able to make Concord call out.
  discover: orgProcedure('sources.write')
    .input(
      z.object({
        sourceId: z.string().min(1),
        /** REST sources: the endpoints to look at. */
        endpoints: z.array(z.string().max(2000)).max(20).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      discoverSource(ctx.db, ctx.org.orgId, input.sourceId, input, { urlPolicy: urlPolicy() }),
    ),

  create: orgProcedure('syncs.write')
    .input(strictOrgInput(connections.connectionInput.shape))
    .mutation(({ ctx, input }) => connections.createConnection(ctx.db, ctx.org.orgId, input)),

  list: orgProcedure('syncs.read').query(({ ctx }) => connections.listConnections(ctx.db, ctx.org.orgId)),

  get: orgProcedure('syncs.read')
    .input(byId)
    .query(({ ctx, input }) => connectionStatus(ctx.db, ctx.org.orgId, input.connectionId)),

  /** Runs every enabled member now (or a test run of every member). */
  run: orgProcedure('syncs.run')
    .input(byId.extend({ test: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const { started, skipped } = await requestConnectionRun(ctx.db, ctx.org.orgId, input.connectionId, {
        trigger: 'manual',
        test: input.test,
        requestedBy: ctx.user.id,
      });
      for (const s of started) if (!s.alreadyActive) await dispatchRun(ctx.db, s.run);
      return {
        runs: started.map(({ syncId, runId, alreadyActive }) => ({ syncId, runId, alreadyActive })),
        skipped,
      };
    }),

  setSchedule: orgProcedure('syncs.write')
    .input(
      byId.extend({
        scheduleCron: z.string().trim().max(200).nullable(),
        scheduleTimezone: z.string().trim().max(100).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      connections.setConnectionSchedule(ctx.db, ctx.org.orgId, input.connectionId, input),
    ),

  delete: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => connections.deleteConnection(ctx.db, ctx.org.orgId, input.connectionId)),
});
