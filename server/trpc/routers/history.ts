// A record's history: a contract's versions with their diffs, the objects a run changed, every run that
// touched an object id, where a register object came from, and who else writes a register schema.
import { z } from 'zod';
import { VERSION_ACTIONS } from '../../db/schema';
import {
  changedObjectsOfRun,
  contractHistory,
  registerObjectOrigins,
  runsTouchingObject,
} from '../../services/record-history';
import { sharedSchemaWarning } from '../../services/shared-schema';
import { orgProcedure, router } from '../init';

export const historyRouter = router({
  /** One contract's versions, newest first, each with the changes since the one before. */
  contract: orgProcedure('contracts.read')
    .input(z.object({ contractId: z.string().min(1) }))
    .query(({ ctx, input }) => contractHistory(ctx.db, ctx.org.orgId, input.contractId)),

  /** The objects a run created, updated, rewrote or deleted (optionally one action), a page at a time. */
  runObjects: orgProcedure('runs.read')
    .input(
      z.object({
        runId: z.string().min(1),
        action: z.enum(VERSION_ACTIONS).optional(),
        page: z.int().min(1).default(1),
        pageSize: z.int().min(1).max(500).default(50),
      }),
    )
    .query(({ ctx, input }) => changedObjectsOfRun(ctx.db, ctx.org.orgId, input.runId, input)),

  /** Every run that touched an object (an origin id or a register object id). */
  object: orgProcedure('runs.read')
    .input(z.object({ objectId: z.string().trim().min(1).max(500) }))
    .query(({ ctx, input }) => runsTouchingObject(ctx.db, ctx.org.orgId, input.objectId)),

  /** The synchronisations that wrote a register object, with its origin id there. */
  origins: orgProcedure('contracts.read')
    .input(z.object({ objectId: z.string().min(1) }))
    .query(({ ctx, input }) => registerObjectOrigins(ctx.db, ctx.org.orgId, input.objectId)),

  /**
   * Duplicates by accident: the warning a synchronisation writing into this register schema gets when
   * other enabled ones write there too (null: none does), for the form and the synchronisation's page.
   */
  schemaWarning: orgProcedure('syncs.read')
    .input(z.object({ schemaId: z.string().min(1), exceptSyncId: z.string().min(1).nullish() }))
    .query(({ ctx, input }) =>
      sharedSchemaWarning(ctx.db, ctx.org.orgId, {
        id: input.exceptSyncId ?? null,
        enabled: true,
        targetType: 'register',
        targetSchemaId: input.schemaId,
      }),
    ),
});
