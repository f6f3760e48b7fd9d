// Mappings and their test bench.
import { z } from 'zod';
import * as mappings from '../../services/mappings';
import { orgProcedure, router, strictOrgInput } from '../init';

const name = z.string().trim().min(1).max(100);
const description = z.string().max(2000).optional();

export const mappingsRouter = router({
  list: orgProcedure('mappings.read').query(({ ctx }) => mappings.listMappings(ctx.db, ctx.org.orgId)),

  get: orgProcedure('mappings.read')
    .input(z.object({ mappingId: z.string() }))
    .query(({ ctx, input }) => mappings.loadMapping(ctx.db, ctx.org.orgId, input.mappingId)),

  create: orgProcedure('mappings.write')
    .input(strictOrgInput({ name, description, config: z.unknown() }))
    .mutation(({ ctx, input }) => mappings.createMapping(ctx.db, ctx.org.orgId, input)),

  update: orgProcedure('mappings.write')
    .input(
      strictOrgInput({
        mappingId: z.string(),
        name: name.optional(),
        description,
        config: z.unknown().optional(),
      }),
    )
    .mutation(({ ctx, input }) => mappings.updateMapping(ctx.db, ctx.org.orgId, input.mappingId, input)),

  delete: orgProcedure('mappings.write')
    .input(z.object({ mappingId: z.string() }))
    .mutation(({ ctx, input }) => mappings.deleteMapping(ctx.db, ctx.org.orgId, input.mappingId)),

  // Read permission is enough: trying a mapping on a sample changes nothing. With a register schema,
  // the mapped object is also checked against it (each problem at its field, with what to do).
  preview: orgProcedure('mappings.read')
    .input(
      z.object({
        config: z.unknown(),
        sample: z.record(z.string(), z.unknown()),
        schemaId: z.string().min(1).optional(),
      }),
    )
    .mutation(({ ctx, input }) => mappings.testMappingFor(ctx.db, ctx.org.orgId, input)),
});
