// Conflicts of two-way synchronisations: the queue, one conflict with its three-way diff, the open
// count for the navigation, and a person's resolution (which requests the run that writes it).
import { z } from 'zod';
import { CONFLICT_KINDS, CONFLICT_STATUSES } from '../../db/schema';
import { dispatchRun } from '../../runner/dispatch';
import { resolutionInput, resolveConflict } from '../../services/conflict-resolution';
import { countOpenConflicts, getConflict, listConflicts } from '../../services/conflicts';
import { orgProcedure, router } from '../init';

export const conflictsRouter = router({
  list: orgProcedure('contracts.read')
    .input(
      z.object({
        syncId: z.string().min(1).optional(),
        status: z.enum(CONFLICT_STATUSES).optional(),
        kind: z.enum(CONFLICT_KINDS).optional(),
        limit: z.int().min(1).max(200).default(50),
        // Keyset paging (named for tRPC's infinite queries): conflicts found before this one.
        cursor: z.string().min(1).nullish(),
      }),
    )
    .query(({ ctx, input }) => {
      const { cursor, ...q } = input;
      return listConflicts(ctx.db, ctx.org.orgId, { ...q, before: cursor ?? undefined });
    }),

  /** Conflicts waiting for a person: the organisation's, or one synchronisation's. */
  openCount: orgProcedure('contracts.read')
    .input(z.object({ syncId: z.string().min(1).optional() }))
    .query(({ ctx, input }) => countOpenConflicts(ctx.db, ctx.org.orgId, input.syncId)),

  get: orgProcedure('contracts.read')
    .input(z.object({ conflictId: z.string().min(1) }))
    .query(({ ctx, input }) => getConflict(ctx.db, ctx.org.orgId, input.conflictId)),

  // Deciding what is written into both systems takes the right to change synchronisations, as approving
  // held deletions does, and as /api/v1 asks of a key (`write`): not only the right to start runs.
  resolve: orgProcedure('syncs.write')
    .input(resolutionInput)
    .mutation(async ({ ctx, input }) => {
      const result = await resolveConflict(ctx.db, ctx.org.orgId, ctx.user.id, input);
      if (result.run && !result.alreadyActive) await dispatchRun(ctx.db, result.run);
      return { merged: result.resolution.merged, runId: result.run?.id ?? null };
    }),
});
