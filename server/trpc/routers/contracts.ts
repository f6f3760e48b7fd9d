// Contracts of a synchronisation: the paged, filtered table and one contract.
import { z } from 'zod';
import { CONTRACT_ACTIONS, CONTRACT_STATUSES } from '../../sync/core/contracts';
import { getContract, listContracts } from '../../services/contracts';
import { orgProcedure, router } from '../init';

export const contractsRouter = router({
  list: orgProcedure('contracts.read')
    .input(
      z.object({
        syncId: z.string().min(1),
        status: z.enum(CONTRACT_STATUSES).optional(),
        lastAction: z.enum(CONTRACT_ACTIONS).optional(),
        search: z.string().max(200).optional(),
        page: z.int().min(1).default(1),
        pageSize: z.int().min(1).max(500).default(50),
      }),
    )
    .query(({ ctx, input }) => listContracts(ctx.db, ctx.org.orgId, input)),

  get: orgProcedure('contracts.read')
    .input(z.object({ contractId: z.string().min(1) }))
    .query(({ ctx, input }) => getContract(ctx.db, ctx.org.orgId, input.contractId)),
});
