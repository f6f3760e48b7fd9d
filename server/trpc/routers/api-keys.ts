// Organisation API keys (owners and admins): scopes, expiry, rotation. The secret is returned once.
import { z } from 'zod';
import { API_SCOPES } from '../../db/schema';
import {
  createApiKey,
  listApiKeys,
  MAX_GRACE_SECONDS,
  revokeApiKey,
  rotateApiKey,
} from '../../services/api-keys';
import { orgProcedure, router } from '../init';

const manage = orgProcedure('apiKeys.manage');

export const apiKeysRouter = router({
  list: manage.query(({ ctx }) => listApiKeys(ctx.db, ctx.org.orgId)),

  create: manage
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        scopes: z.array(z.enum(API_SCOPES)).min(1).optional(),
        expiresAt: z.date().nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.org.orgId, ctx.user.id, input)),

  rotate: manage
    .input(
      z.object({
        keyId: z.string().min(1),
        graceSeconds: z.int().min(0).max(MAX_GRACE_SECONDS).default(86_400),
      }),
    )
    .mutation(({ ctx, input }) =>
      rotateApiKey(ctx.db, ctx.org.orgId, input.keyId, input.graceSeconds, ctx.user.id),
    ),

  revoke: manage
    .input(z.object({ keyId: z.string().min(1) }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.org.orgId, input.keyId)),
});
