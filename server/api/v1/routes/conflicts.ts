// Conflicts of two-way synchronisations: the queue (filtered, newest first), one conflict with its
// three-way diff, and resolving it — the Conflicts pages of the app. Resolving takes the `write` scope:
// the person (or program) decides what is written into both systems, which a key that may only start
// runs must not.
import { z } from 'zod';
import { UserError } from '@/server/services/errors';
import { CONFLICT_KINDS, CONFLICT_STATUSES } from '@/server/db/schema';
import { dispatchRun } from '@/server/runner/dispatch';
import { PicksRefused, resolutionInput, resolveConflict } from '@/server/services/conflict-resolution';
import { getConflict, listConflicts } from '@/server/services/conflicts';
import { decodeCursor, encodeCursor } from '../cursor';
import { route, type RouteDef } from '../define';
import { ApiProblem } from '../problem';
import * as C from '../resources/conflicts';
import { author, id, pageQuery, queryCursorProblem } from './shared';

const byId = z.object({ conflictId: id('conflict') });

/** A JSON Pointer token of a dot path (`address.city` is one key of `fields`). */
const pointerToken = (path: string) => path.replace(/~/g, '~0').replace(/\//g, '~1');

export const conflictRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/conflicts',
    operationId: 'listConflicts',
    tag: 'Conflicts',
    summary: 'List conflicts, newest first',
    description: 'Filter by `status` (`open` ones wait for a resolution), `kind` and `synchronisationId`.',
    scope: 'read',
    query: pageQuery.extend({
      status: z.enum(CONFLICT_STATUSES).optional(),
      kind: z.enum(CONFLICT_KINDS).optional(),
      synchronisationId: z.string().min(1).max(100).optional(),
    }),
    response: C.ConflictList,
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const before = decodeCursor(query.cursor, (v): v is { id: string } => typeof v.id === 'string')?.id;
      const page = await listConflicts(db, caller.orgId, {
        syncId: query.synchronisationId,
        status: query.status,
        kind: query.kind,
        limit: query.limit,
        before,
      })
        .catch((error: unknown) => {
          // The conflict a page ended on is gone (with its synchronisation) or is not this organisation's:
          // the page link is what is wrong, not a conflict the caller asked for.
          if (before && error instanceof UserError && error.code === 'NOT_FOUND')
            throw new UserError(
              'BAD_REQUEST',
              'The conflict this page link starts after is gone: start again from the first page.',
              'cursor',
            );
          throw error;
        })
        .catch(queryCursorProblem);
      const nextCursor = page.more ? encodeCursor({ id: page.rows.at(-1)!.id }) : null;
      const next: Record<string, string> | null = nextCursor
        ? { cursor: nextCursor, limit: String(query.limit) }
        : null;
      return {
        body: { items: page.rows.map(C.toConflictSummary), total: page.total, nextCursor },
        next,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/conflicts/{conflictId}',
    operationId: 'getConflict',
    tag: 'Conflicts',
    summary: 'Get a conflict with its three-way diff per field',
    scope: 'read',
    params: byId,
    response: C.Conflict,
    handler: async ({ db, caller, params }) => ({
      body: C.toConflict(await getConflict(db, caller.orgId, params.conflictId)),
    }),
  }),
  route({
    method: 'POST',
    path: '/conflicts/{conflictId}/resolution',
    operationId: 'resolveConflict',
    tag: 'Conflicts',
    summary: 'Resolve a conflict: keep the source’s version, the target’s, or pick a side per field',
    description:
      'With `take: fields`, `fields` picks a side per `path` of the diff; every conflicting field needs ' +
      'a pick, and a field left out takes the side that changed it. The resolution is saved and a run ' +
      '(trigger `resolution`) writes it to both sides; until that run starts it may be changed. A ' +
      'resolved conflict answers 409; picks that name no field of the conflict, or leave a conflicting ' +
      'one open, answer 422 at each such field. Takes the `write` scope.',
    scope: 'write',
    params: byId,
    body: resolutionInput
      .omit({ conflictId: true })
      .extend({
        take: resolutionInput.shape.take.describe(
          'Keep the `source` version, the `target` (register) version, or pick per field (`fields`).',
        ),
        fields: resolutionInput.shape.fields.describe(
          'With `take: fields`: a side per `path` of the conflict’s fields; every conflicting one needs a pick.',
        ),
      })
      .strict()
      .meta({ id: 'ConflictResolution' }),
    response: C.ConflictResolved,
    status: 202,
    example: { take: 'source' },
    handler: async (ctx) => {
      const { db, caller, params, body } = ctx;
      const result = await resolveConflict(db, caller.orgId, author(ctx), {
        conflictId: params.conflictId,
        ...body,
      }).catch((error: unknown) => {
        if (!(error instanceof PicksRefused)) throw error;
        const at = error.paths.length > 0 ? error.paths : [null];
        throw new ApiProblem(
          422,
          error.message,
          at.map((path) => ({
            field: path === null ? 'body.fields' : `body.fields.${path}`,
            pointer: path === null ? '/fields' : `/fields/${pointerToken(path)}`,
            detail: error.message,
          })),
        );
      });
      if (result.run && !result.alreadyActive) await dispatchRun(db, result.run);
      const { conflict, sync } = await getConflict(db, caller.orgId, params.conflictId);
      return {
        body: {
          conflict: C.toConflictSummary({ ...conflict, synchronisationName: sync.name }),
          merged: result.resolution.merged,
          runId: result.run?.id ?? null,
          alreadyActive: Boolean(result.alreadyActive),
        },
      };
    },
  }),
];
