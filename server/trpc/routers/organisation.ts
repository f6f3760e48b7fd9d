// The current organisation: its details, renaming it, leaving it, deleting it.
import { z } from 'zod';
import { leaveOrganisation } from '../../services/members';
import { deleteOrganisation } from '../../services/organisation-delete';
import { renameOrganisation } from '../../services/organisations';
import { orgProcedure, router } from '../init';

export const organisationRouter = router({
  get: orgProcedure('org.read').query(async ({ ctx }) => {
    const org = await ctx.db.query.organisations.findFirst({ where: (o, { eq }) => eq(o.id, ctx.org.orgId) });
    return { id: ctx.org.orgId, name: org?.name ?? '', slug: org?.slug ?? '', role: ctx.org.role };
  }),

  rename: orgProcedure('org.manage')
    .input(z.object({ name: z.string().trim().min(1).max(100) }))
    .mutation(({ ctx, input }) => renameOrganisation(ctx.db, ctx.org.orgId, input.name)),

  leave: orgProcedure('org.read').mutation(({ ctx }) =>
    leaveOrganisation(ctx.db, ctx.org.orgId, ctx.user.id),
  ),

  // Not in /api/v1: an API key must never be able to delete the organisation it acts for.
  delete: orgProcedure('org.delete')
    .input(z.object({ confirm: z.string().max(200) }))
    .mutation(({ ctx, input }) => deleteOrganisation(ctx.db, ctx.org.orgId, input.confirm)),
});
