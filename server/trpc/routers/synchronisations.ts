// Synchronisations: configuration, enabling, running now (normal, test or force), held deletions.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { dispatchRun } from '../../runner/dispatch';
import { listFollowedBy, listFollowUps } from '../../services/follow-ups';
import { approveHeld, countHeld, rejectHeld } from '../../services/held-deletions';
import { requestRun } from '../../services/runs';
import { contractsKept } from '../../services/sync-rekey';
import { syncWarnings } from '../../services/sync-warnings';
import { checkSchedule, describeSchedule } from '../../services/schedule';
import * as syncs from '../../services/synchronisations';
import { incrementalState, resetCursor } from '../../services/sync-cursor';
import { disableWebhook, enableWebhook } from '../../services/webhooks';
import { orgProcedure, router, strictOrgInput } from '../init';

const byId = z.object({ syncId: z.string().min(1) });

/**
 * What leaves the server: never the webhook token's hash, nor the number the contracts go by (internal),
 * nor a secret an earlier version saved in its headers or query parameters (masked).
 */
function publicSync<T extends { webhookTokenHash: string | null; seq: number | null; sourceConfig: unknown }>(
  row: T,
): Omit<T, 'webhookTokenHash' | 'seq'> {
  const { webhookTokenHash: _hash, seq: _seq, ...rest } = row;
  return syncs.publicSettings(rest);
}

/** A saved synchronisation with what the person should know about it (another writes its schema). */
async function withWarnings(db: Db, orgId: string, row: SyncRow) {
  return { ...publicSync(row), warnings: await syncWarnings(db, orgId, row) };
}

type SyncRow = Awaited<ReturnType<typeof syncs.loadSynchronisation>>;

export const synchronisationsRouter = router({
  list: orgProcedure('syncs.read').query(async ({ ctx }) =>
    (await syncs.listSynchronisations(ctx.db, ctx.org.orgId)).map((r) => ({
      ...r,
      sync: publicSync(r.sync),
    })),
  ),

  /**
   * The configuration, with its follow-ups, the synchronisations it follows and, when it is two-way, how
   * it writes back to the source with the defaults filled in.
   */
  get: orgProcedure('syncs.read')
    .input(byId)
    .query(async ({ ctx, input }) => {
      const { db, org } = ctx;
      const row = await syncs.loadSynchronisation(db, org.orgId, input.syncId);
      const [followUps, followedBy, writeBackResolved, contracts] = await Promise.all([
        listFollowUps(db, org.orgId, row.id),
        listFollowedBy(db, org.orgId, row.id),
        syncs.resolvedWriteBack(db, org.orgId, row),
        // The form says that changing the id field re-keys them (services/sync-rekey.ts).
        contractsKept(db, org.orgId, row.id),
      ]);
      return { ...publicSync(row), followUps, followedBy, writeBackResolved, contractsKept: contracts };
    }),

  create: orgProcedure('syncs.write')
    .input(strictOrgInput(syncs.synchronisationInput.shape))
    .mutation(async ({ ctx, input }) =>
      withWarnings(ctx.db, ctx.org.orgId, await syncs.createSynchronisation(ctx.db, ctx.org.orgId, input)),
    ),

  update: orgProcedure('syncs.write')
    .input(strictOrgInput({ ...syncs.synchronisationInput.shape, ...byId.shape }))
    .mutation(async ({ ctx, input }) =>
      withWarnings(
        ctx.db,
        ctx.org.orgId,
        await syncs.updateSynchronisation(ctx.db, ctx.org.orgId, input.syncId, input),
      ),
    ),

  /** What its save answered besides errors, for its page: see services/sync-warnings.ts. */
  warnings: orgProcedure('syncs.read')
    .input(byId)
    .query(async ({ ctx, input }) =>
      syncWarnings(
        ctx.db,
        ctx.org.orgId,
        await syncs.loadSynchronisation(ctx.db, ctx.org.orgId, input.syncId),
      ),
    ),

  setEnabled: orgProcedure('syncs.write')
    .input(byId.extend({ enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) =>
      publicSync(await syncs.setSynchronisationEnabled(ctx.db, ctx.org.orgId, input.syncId, input.enabled)),
    ),

  delete: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => syncs.deleteSynchronisation(ctx.db, ctx.org.orgId, input.syncId)),

  run: orgProcedure('syncs.run')
    .input(
      byId.extend({
        test: z.boolean().default(false),
        force: z.boolean().default(false),
        // Incremental synchronisations: a full reconciliation now.
        full: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { run, alreadyActive } = await requestRun(ctx.db, ctx.org.orgId, input.syncId, {
        trigger: 'manual',
        test: input.test,
        force: input.force,
        full: input.full,
        requestedBy: ctx.user.id,
      });
      if (!alreadyActive) await dispatchRun(ctx.db, run);
      return { runId: run.id, alreadyActive };
    }),

  /** Incremental reading: the cursor and the next full reconciliation; null when it reads everything. */
  incremental: orgProcedure('syncs.read')
    .input(byId)
    .query(({ ctx, input }) => incrementalState(ctx.db, ctx.org.orgId, input.syncId)),

  /** Forgets the cursor: the next run lists everything and takes a new one. */
  resetCursor: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => resetCursor(ctx.db, ctx.org.orgId, input.syncId)),

  enableWebhook: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => enableWebhook(ctx.db, ctx.org.orgId, input.syncId)),

  disableWebhook: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => disableWebhook(ctx.db, ctx.org.orgId, input.syncId)),

  /** How many deletions wait for a person's approval (more than the threshold vanished at once). */
  held: orgProcedure('syncs.read')
    .input(byId)
    .query(({ ctx, input }) => countHeld(ctx.db, ctx.org.orgId, input.syncId)),

  /** Applies the held deletions in an approval run. */
  approveHeld: orgProcedure('syncs.write')
    // `seen`: the count the person was shown; a different one now is refused (services/held-deletions.ts).
    .input(byId.extend({ seen: z.int().min(1).optional() }))
    .mutation(async ({ ctx, input }) => {
      const run = await approveHeld(ctx.db, ctx.org.orgId, input.syncId, ctx.user.id, input.seen);
      await dispatchRun(ctx.db, run);
      return { runId: run.id };
    }),

  /** Keeps the objects: the held contracts go back to synced. */
  rejectHeld: orgProcedure('syncs.write')
    .input(byId)
    .mutation(({ ctx, input }) => rejectHeld(ctx.db, ctx.org.orgId, input.syncId, ctx.user.name)),

  describeSchedule: orgProcedure('syncs.read')
    .input(z.object({ cron: z.string().min(1).max(200), timezone: z.string().default('UTC') }))
    .query(({ input }) => {
      // An invalid expression or zone answers BAD_REQUEST with the reason and the field it names.
      checkSchedule(input.cron, input.timezone);
      return describeSchedule(input.cron, input.timezone);
    }),
});
