// Contracts: the paged, filtered table (one synchronisation's, or the organisation's across its
// synchronisations), one contract with both sides of its object, and re-syncing that one object (a
// forced run of one).
import { z } from 'zod';
import { dispatchRun } from '../../runner/dispatch';
import { CONTRACT_ACTIONS, CONTRACT_STATUSES } from '../../sync/core/contracts';
import {
  contractDetail,
  getContract,
  releaseQuarantine,
  requestContractResync,
} from '../../services/contracts';
import { listContracts } from '../../services/contracts-list';
import { orgProcedure, router } from '../init';

const byId = z.object({ contractId: z.string().min(1) });

export const contractsRouter = router({
  list: orgProcedure('contracts.read')
    .input(
      z.object({
        // Without it: the organisation's contracts across its synchronisations.
        syncId: z.string().min(1).optional(),
        status: z.enum(CONTRACT_STATUSES).optional(),
        lastAction: z.enum(CONTRACT_ACTIONS).optional(),
        search: z.string().max(200).optional(),
        pageSize: z.int().min(1).max(500).default(50),
        // A page's next, previous or last cursor; without it, the first page.
        cursor: z.string().max(2000).optional(),
      }),
    )
    .query(({ ctx, input }) => listContracts(ctx.db, ctx.org.orgId, input)),

  get: orgProcedure('contracts.read')
    .input(byId)
    .query(({ ctx, input }) => getContract(ctx.db, ctx.org.orgId, input.contractId)),

  detail: orgProcedure('contracts.read')
    .input(byId)
    .query(({ ctx, input }) => contractDetail(ctx.db, ctx.org.orgId, input.contractId)),

  resync: orgProcedure('syncs.run')
    .input(byId)
    .mutation(async ({ ctx, input }) => {
      const { run, object } = await requestContractResync(
        ctx.db,
        ctx.org.orgId,
        input.contractId,
        ctx.user.id,
      );
      await dispatchRun(ctx.db, { ...run, object });
      return { runId: run.id };
    }),

  /** The flap breaker's quarantine, lifted by a person: the next run decides the object again. */
  release: orgProcedure('syncs.run')
    .input(byId)
    .mutation(({ ctx, input }) => releaseQuarantine(ctx.db, ctx.org.orgId, input.contractId)),
});
