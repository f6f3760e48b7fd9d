// tRPC in three parts: the context (database + who is calling), the init (superjson, one error
// formatter), and the procedures — public, signed-in, and the one organisation gate.
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import type { Db } from '../db/client';
import type { Role } from '../db/schema';
import { can, type Permission } from '../auth/permissions';
import { UserError } from '../services/errors';
import { InvalidInput, issuesOf, type FieldIssue } from '../services/field-issues';
import { strictObject } from '../sync/core/strict-object';
import { findMembership } from '../services/organisations';

// 1. Context -------------------------------------------------------------------------------------
export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface Context {
  db: Db;
  user: SessionUser | null;
  /** The session the caller signed in with (never sent to the browser); none for callers on the server. */
  sessionId?: string | undefined;
  /** The caller's address as the throttles count it; callers on the server (tests, jobs) have none. */
  clientAddress?: string;
}

export interface Meta {
  /** Set by `orgProcedure`: the permission the gate checked. Tests use it to find every org procedure. */
  permission?: Permission;
}

// 2. Init ----------------------------------------------------------------------------------------
const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Problems stay structured for programs (`data.issues`: a sentence per field) and the message is
    // their sentences for people; nothing of zod's own wording or JSON reaches either.
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const issues: FieldIssue[] =
        cause instanceof InvalidInput
          ? [...cause.issues]
          : cause instanceof z.ZodError
            ? issuesOf(cause)
            : cause instanceof UserError && cause.field
              ? [{ field: cause.field, message: cause.message }]
              : [];
      return {
        ...shape,
        message: cause instanceof z.ZodError ? issues.map((i) => i.message).join(' ') : shape.message,
        data: {
          ...shape.data,
          field: cause instanceof UserError ? (cause.field ?? null) : (issues[0]?.field ?? null),
          issues,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Expected failures thrown by services become tRPC errors with their message; nothing else leaks.
// Input that fails a procedure's schema becomes InvalidInput: sentences at fields, also for callers
// on the server (createCaller), which never pass through the error formatter.
const userErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause =
    result.error.cause instanceof z.ZodError
      ? new InvalidInput(issuesOf(result.error.cause))
      : result.error.cause;
  if (cause instanceof UserError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
  return result;
});

// 3. Procedures ----------------------------------------------------------------------------------
export const publicProcedure = t.procedure.use(userErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const orgInput = z.object({ orgId: z.string().min(1) });

/**
 * A procedure's input that refuses fields it does not know, naming the nearest known one (a typo such
 * as `targetMapingId` must not be dropped in silence). It includes the gate's `orgId`: tRPC hands every
 * input schema of a procedure the whole input.
 */
export function strictOrgInput<T extends z.core.$ZodLooseShape>(shape: T) {
  return strictObject({ ...orgInput.shape, ...shape }, 'field');
}

export interface OrgContext {
  orgId: string;
  role: Role;
}

/**
 * The one tenant gate. Loads the caller's membership of `input.orgId`; a non-member gets NOT_FOUND
 * (the organisation's existence is not revealed), a member without `permission` gets FORBIDDEN.
 * Procedures add their own input with `.input(...)`, which is merged with `{ orgId }`.
 */
export function orgProcedure(permission: Permission) {
  return protectedProcedure
    .meta({ permission })
    .input(orgInput)
    .use(async ({ ctx, input, next }) => {
      const membership = await findMembership(ctx.db, ctx.user.id, { id: input.orgId });
      if (!membership) throw new TRPCError({ code: 'NOT_FOUND', message: 'Organisation not found.' });
      if (!can(membership.role, permission)) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: `Your role (${membership.role}) does not allow this.`,
        });
      }
      const org: OrgContext = { orgId: membership.orgId, role: membership.role };
      return next({ ctx: { ...ctx, org } });
    });
}
