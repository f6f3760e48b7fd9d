// Deletions held for approval: which synchronisations hold some, the objects one would delete, and
// approving (a run deletes them) or rejecting (the objects are kept) — the synchronisation page's card.
// Approving and rejecting take the `write` scope, as they take `syncs.write` in the app: they decide
// what happens to the objects in the target, which a key that may only start runs must not.
import { z } from 'zod';
import { dispatchRun } from '@/server/runner/dispatch';
import { apiKeyLabel } from '@/server/services/api-keys';
import { listContracts } from '@/server/services/contracts-list';
import { approveHeld, heldBySynchronisation, rejectHeld } from '@/server/services/held-deletions';
import { loadSynchronisation } from '@/server/services/synchronisations';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import * as H from '../resources/held-deletions';
import { author, id, pageQuery, queryCursorProblem } from './shared';

const bySync = z.object({ syncId: id('synchronisation') });

export const heldDeletionRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/held-deletions',
    operationId: 'listHeldDeletions',
    tag: 'Held deletions',
    summary: 'The synchronisations whose deletions wait for approval',
    description:
      'A run that finds more of the objects gone at once than the synchronisation’s approval threshold ' +
      'deletes none of them and holds the deletions. One item per synchronisation that holds some.',
    scope: 'read',
    response: H.HeldDeletionSummaryList,
    handler: async ({ db, caller }) => ({
      body: { items: await heldBySynchronisation(db, caller.orgId) },
    }),
  }),
  route({
    method: 'GET',
    path: '/synchronisations/{syncId}/held-deletions',
    operationId: 'listSynchronisationHeldDeletions',
    tag: 'Held deletions',
    summary: 'The objects a synchronisation’s held deletions would delete',
    scope: 'read',
    params: bySync,
    query: pageQuery,
    response: H.HeldDeletionPage,
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      const sync = await loadSynchronisation(db, caller.orgId, params.syncId);
      // The contracts list's own keyset cursor, passed through.
      const held = await listContracts(db, caller.orgId, {
        syncId: sync.id,
        status: 'held',
        pageSize: query.limit,
        cursor: query.cursor,
      }).catch(queryCursorProblem);
      const nextCursor = held.next;
      return {
        body: {
          synchronisationId: sync.id,
          count: held.total,
          threshold: sync.deleteThreshold,
          items: held.rows.map(H.toHeldDeletion),
          nextCursor,
        },
        next: nextCursor ? { cursor: nextCursor, limit: String(query.limit) } : null,
      };
    },
  }),
  // Rejecting before approving: the tenancy test calls them in this order (approving deletes them).
  route({
    method: 'POST',
    path: '/synchronisations/{syncId}/held-deletions/reject',
    operationId: 'rejectHeldDeletions',
    tag: 'Held deletions',
    summary: 'Reject the held deletions: the objects are kept',
    description:
      'The held objects stay in the target, their contracts say who rejected the deletion. If they are ' +
      'still gone from the source at the next run, the deletion is held again: fix the source or the ' +
      'deletion settings to stop that. Takes the `write` scope. Answers 400 when nothing is held.',
    scope: 'write',
    params: bySync,
    response: z
      .object({ kept: z.int().describe('How many objects were kept.') })
      .meta({ id: 'HeldDeletionsRejected' }),
    handler: async ({ db, caller, params }) => ({
      body: await rejectHeld(
        db,
        caller.orgId,
        params.syncId,
        await apiKeyLabel(db, caller.orgId, caller.keyId),
      ),
    }),
  }),
  route({
    method: 'POST',
    path: '/synchronisations/{syncId}/held-deletions/approve',
    operationId: 'approveHeldDeletions',
    tag: 'Held deletions',
    summary: 'Approve the held deletions: a run deletes the objects in the target',
    description:
      'Requests an approval run, which deletes the objects held when you approve (with the ' +
      'synchronisation’s deletion policy) and nothing else — one a run holds meanwhile waits for a ' +
      'decision of its own; follow it at `GET /runs/{runId}`. Answers 409 while an earlier approval has ' +
      'not run yet. Takes the `write` scope, as approving ' +
      'takes the right to change synchronisations in the app. Answers 400 when nothing is held, or when ' +
      'the deletion policy is now `none`; a held object restrictDeletion no longer allows stays held. ' +
      'Pass `expected`, the number of held deletions you reviewed: runs go on holding deletions, so when ' +
      'more or fewer are held now the answer is 409 and nothing is approved.',
    scope: 'write',
    params: bySync,
    query: z.object({
      expected: z.coerce
        .number()
        .int()
        .min(1)
        .optional()
        .describe('How many held deletions you reviewed (see GET …/held-deletions); another count now: 409.'),
    }),
    response: z.object({ run: R.Run }).meta({ id: 'HeldDeletionsApproved' }),
    status: 202,
    handler: async (ctx) => {
      const run = await approveHeld(
        ctx.db,
        ctx.caller.orgId,
        ctx.params.syncId,
        author(ctx),
        ctx.query.expected,
      );
      await dispatchRun(ctx.db, run);
      return { body: { run: R.toRun(run) } };
    },
  }),
];
