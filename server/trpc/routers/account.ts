// The signed-in person: sign-up, their organisations, invitations they accept, new organisations, and
// their own account (name, password, sessions). Everything acts on ctx.user, never on an id in the input.
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords';
import { endOtherSessionsOf, endSessionByHandle, endSessionsOf, listSessionsOf } from '../../auth/sessions';
import { env } from '../../env';
import { signUp } from '../../services/accounts';
import { notFound } from '../../services/errors';
import { changePassword, ownAccount, renameSelf } from '../../services/own-account';
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

  /** The account page: who the person is, whether they have a password, and their live sessions. */
  own: protectedProcedure.query(async ({ ctx }) => ({
    ...(await ownAccount(ctx.db, ctx.user.id)),
    sessions: await listSessionsOf(ctx.db, ctx.user.id, ctx.sessionId),
  })),

  rename: protectedProcedure
    .input(z.object({ name: z.string().trim().min(1, 'Tell us your name').max(100) }))
    .mutation(({ ctx, input }) => renameSelf(ctx.db, ctx.user.id, input.name)),

  changePassword: protectedProcedure
    .input(
      z.object({
        currentPassword: z.string().min(1, 'Enter your current password').max(200),
        newPassword: z
          .string()
          .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
          .max(200),
        confirmPassword: z.string().max(200),
      }),
    )
    .mutation(({ ctx, input }) =>
      changePassword(
        ctx.db,
        { userId: ctx.user.id, sessionId: ctx.sessionId, address: ctx.clientAddress },
        input,
      ),
    ),

  /** Ends one of the person's own sessions, named by the handle the list gave. */
  endSession: protectedProcedure
    .input(z.object({ handle: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await endSessionByHandle(ctx.db, ctx.user.id, input.handle))) throw notFound('That session');
    }),

  endOtherSessions: protectedProcedure.mutation(async ({ ctx }) => ({
    ended: await endOtherSessionsOf(ctx.db, ctx.user.id, ctx.sessionId),
  })),

  /** Every session including this one; the page then clears its cookie and goes to sign-in. */
  endAllSessions: protectedProcedure.mutation(({ ctx }) => endSessionsOf(ctx.db, ctx.user.id)),

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
