// Push data in: a batch of an external system's objects through a synchronisation into its schema.
import { z } from 'zod';
import { MAX_PUSHED_OBJECTS, pushObjects } from '@/server/services/pushed-objects';
import { RUN_RESULTS } from '@/server/sync/core/run-result';
import { PushedBatchFailed } from '@/server/sync/run/pushed-batch';
import { ApiProblem } from '../problem';
import { route, type RouteDef } from '../define';

const PushResult = z
  .object({
    runId: z.string().describe('The run that recorded the batch (GET /runs/{runId}).'),
    result: z
      .enum(RUN_RESULTS)
      .describe(
        'success: every object went through; warning: some were refused (see results); error: not a ' +
          'single object got through, or the synchronisation could not run.',
      ),
    message: z.string(),
    counts: z.record(z.string(), z.number()),
    results: z.array(
      z.object({
        index: z.int().describe('Position in the request.'),
        originId: z.string().nullable().describe('The id the object carries in your system.'),
        outcome: z
          .enum(['written', 'invalid', 'failed', 'skipped'])
          .describe(
            'written: created or updated in the register; skipped: not written (unchanged since it was ' +
              'last synchronised, filtered out by the conditions, or a test run), see reason; invalid: ' +
              'refused by Concord before writing (no usable id, an id already sent in this batch, the ' +
              "schema's check), see reason; failed: refused by the register, see reason.",
          ),
        objectId: z.string().nullable().describe('The register object it is in Concord.'),
        reason: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'PushResult' });

export const batchRoutes: RouteDef[] = [
  route({
    method: 'POST',
    path: '/synchronisations/{syncId}/objects',
    operationId: 'pushObjects',
    tag: 'Push in',
    summary: `Push up to ${MAX_PUSHED_OBJECTS} objects through a synchronisation into its register schema`,
    description:
      'The objects go through the same engine as a run: the mapping, contracts and hashes (an unchanged ' +
      'object is skipped), the schema check, and the fan-out to the synchronisations that push the ' +
      'schema out. The answer tells for each object, at its index, what happened (an id sent twice: the ' +
      'first object goes through, the later one is invalid). A batch never deletes.',
    scope: 'write',
    params: z.object({ syncId: z.string().min(1).max(100) }),
    body: z
      .object({
        objects: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_PUSHED_OBJECTS),
        test: z.boolean().default(false).describe('A dry run: decide, write nothing.'),
      })
      .strict(),
    response: PushResult,
    example: { objects: [{ id: 1001, name: 'Ada', email: 'ada@example.test', address: { city: 'Leiden' } }] },
    handler: async ({ db, caller, params, body }) => {
      try {
        return {
          body: await pushObjects(db, caller.orgId, params.syncId, body.objects, { test: body.test }),
        };
      } catch (error) {
        // The batch threw partway: its run has ended as an error, and the client is told which and why.
        if (!(error instanceof PushedBatchFailed)) throw error;
        console.error('api/v1 pushed batch', error.runId, error.cause);
        throw new ApiProblem(500, `${error.message} Run ${error.runId} records it.`);
      }
    },
  }),
];
