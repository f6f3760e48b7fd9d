// Members and invitation links of an organisation (owners and admins).
import { z } from 'zod';
import { ROLES } from '../../db/schema';
import { createInvitation, listPendingInvitations, revokeInvitation } from '../../services/invitations';
import { changeRole, listMembers, removeMember } from '../../services/members';
import { orgProcedure, router } from '../init';

const manage = orgProcedure('members.manage');

export const membersRouter = router({
  list: manage.query(({ ctx }) => listMembers(ctx.db, ctx.org.orgId)),

  changeRole: manage
    .input(z.object({ membershipId: z.string().min(1), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) =>
      changeRole(ctx.db, ctx.org.orgId, ctx.org.role, input.membershipId, input.role),
    ),

  remove: manage
    .input(z.object({ membershipId: z.string().min(1) }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.org.orgId, ctx.org.role, input.membershipId)),

  invitations: manage.query(({ ctx }) => listPendingInvitations(ctx.db, ctx.org.orgId)),

  invite: manage
    .input(z.object({ role: z.enum(ROLES).exclude(['owner']) }))
    .mutation(({ ctx, input }) => createInvitation(ctx.db, ctx.org.orgId, ctx.user.id, input.role)),

  revokeInvitation: manage
    .input(z.object({ invitationId: z.string().min(1) }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, ctx.org.orgId, input.invitationId)),
});
