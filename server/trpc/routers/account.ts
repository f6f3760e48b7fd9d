// The signed-in person: sign-up, their organisations, invitations they accept, new organisations.
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords';
import { env } from '../../env';
import { signUp } from '../../services/accounts';
import { acceptInvitation, previewInvitation } from '../../services/invitations';
import { createOrganisation, listOrganisationsOf } from '../../services/organisations';
import { protectedProcedure, publicProcedure, router } from '../init';

export const signUpInput = z.object({
  name: z.string().trim().min(1, 'Tell us your name').max(100),
  email: z.email('Enter a valid email address'),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
  organisationName: z.string().trim().max(100).optional(),
  inviteToken: z.string().optional(),
});

export const accountRouter = router({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const { user, orgSlug } = await signUp(ctx.db, input, {
      address: ctx.clientAddress,
      mode: env().CONCORD_SIGN_UP,
    });
    return { userId: user.id, orgSlug };
  }),

  me: protectedProcedure.query(async ({ ctx }) => ({
    user: ctx.user,
    organisations: await listOrganisationsOf(ctx.db, ctx.user.id),
  })),

  invitation: publicProcedure
    .input(z.object({ token: z.string().min(1) }))
    .query(({ ctx, input }) => previewInvitation(ctx.db, input.token)),

  acceptInvitation: protectedProcedure
    .input(z.object({ token: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const org = await acceptInvitation(ctx.db, input.token, ctx.user.id);
      return { orgSlug: org.slug };
    }),

  createOrganisation: protectedProcedure
    .input(z.object({ name: z.string().trim().min(1, 'Name the organisation').max(100) }))
    .mutation(async ({ ctx, input }) => {
      const org = await ctx.db.transaction((tx) => createOrganisation(tx, ctx.user.id, input.name));
      return { orgId: org.id, orgSlug: org.slug };
    }),
});
