// Organisation API keys for the trigger endpoint (owners and admins). The key is returned once.
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys';
import { orgProcedure, router } from '../init';

const manage = orgProcedure('apiKeys.manage');

export const apiKeysRouter = router({
  list: manage.query(({ ctx }) => listApiKeys(ctx.db, ctx.org.orgId)),

  create: manage
    .input(z.object({ name: z.string().trim().min(1).max(100) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.org.orgId, ctx.user.id, input.name)),

  revoke: manage
    .input(z.object({ keyId: z.string().min(1) }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.org.orgId, input.keyId)),
});
