// Sources of an organisation. Secrets go in, never out.
import { z } from 'zod';
import { SOURCE_TYPES } from '../../db/schema';
import { createSource, deleteSource, getSource, listSources, updateSource } from '../../services/sources';
import { orgProcedure, router } from '../init';

const secretChanges = z.record(z.string(), z.string().max(10_000).nullable()).optional();
const byId = z.object({ sourceId: z.string().min(1) });

export const sourcesRouter = router({
  list: orgProcedure('sources.read').query(({ ctx }) => listSources(ctx.db, ctx.org.orgId)),

  get: orgProcedure('sources.read')
    .input(byId)
    .query(({ ctx, input }) => getSource(ctx.db, ctx.org.orgId, input.sourceId)),

  create: orgProcedure('sources.write')
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        type: z.enum(SOURCE_TYPES),
        enabled: z.boolean().optional(),
        config: z.unknown(),
        secrets: secretChanges,
      }),
    )
    .mutation(({ ctx, input }) => createSource(ctx.db, ctx.org.orgId, input)),

  update: orgProcedure('sources.write')
    .input(
      byId.extend({
        name: z.string().trim().min(1).max(100).optional(),
        enabled: z.boolean().optional(),
        config: z.unknown().optional(),
        secrets: secretChanges,
      }),
    )
    .mutation(({ ctx, input }) => {
      const { sourceId, orgId: _orgId, ...changes } = input;
      return updateSource(ctx.db, ctx.org.orgId, sourceId, changes);
    }),

  delete: orgProcedure('sources.write')
    .input(byId)
    .mutation(({ ctx, input }) => deleteSource(ctx.db, ctx.org.orgId, input.sourceId)),
});
