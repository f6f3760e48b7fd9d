// The hub of a register schema: its subscribers as a picture, and what each outbound one receives.
import { z } from 'zod';
import { hubView, setUnsubscribe } from '../../services/hub';
import { unsubscribeSchema } from '../../sync/config/sync-config';
import { orgProcedure, router, strictOrgInput } from '../init';

export const hubRouter = router({
  get: orgProcedure('registers.read')
    .input(z.object({ schemaId: z.string().min(1) }))
    .query(({ ctx, input }) => hubView(ctx.db, ctx.org.orgId, input.schemaId)),

  /** Paused, objects or fields an outbound subscriber no longer receives; the subscription stays. */
  setUnsubscribe: orgProcedure('syncs.write')
    .input(strictOrgInput({ syncId: z.string().min(1), unsubscribe: unsubscribeSchema }))
    .mutation(({ ctx, input }) => setUnsubscribe(ctx.db, ctx.org.orgId, input.syncId, input.unsubscribe)),
});
