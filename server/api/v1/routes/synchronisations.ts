// Synchronisations: list, get, and request a run.
import { z } from 'zod';
import { dispatchRun } from '@/server/runner/dispatch';
import { requestRun } from '@/server/services/runs';
import { listSynchronisations, loadSynchronisation } from '@/server/services/synchronisations';
import { pageById } from '../cursor';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import { id, pageQuery } from './shared';

export const synchronisationRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/synchronisations',
    operationId: 'listSynchronisations',
    tag: 'Synchronisations',
    summary: 'List synchronisations',
    scope: 'read',
    query: pageQuery,
    response: R.list(R.Synchronisation, 'SynchronisationList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const rows = (await listSynchronisations(db, caller.orgId)).map((r) => r.sync);
      const page = pageById(rows, query.cursor, query.limit);
      return {
        body: { items: page.items.map(R.toSynchronisation), nextCursor: page.nextCursor },
        next: page.next,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/synchronisations/{syncId}',
    operationId: 'getSynchronisation',
    tag: 'Synchronisations',
    summary: 'Get a synchronisation',
    scope: 'read',
    params: z.object({ syncId: id('synchronisation') }),
    response: R.Synchronisation,
    handler: async ({ db, caller, params }) => ({
      body: R.toSynchronisation(await loadSynchronisation(db, caller.orgId, params.syncId)),
    }),
  }),
  route({
    method: 'POST',
    path: '/synchronisations/{syncId}/runs',
    operationId: 'runSynchronisation',
    tag: 'Runs',
    summary: 'Run a synchronisation now (test: a dry run; force: rewrite unchanged objects)',
    description:
      'Send an Idempotency-Key: a retried request returns the same run. While a run is queued or ' +
      'running, the request gets that run back (`alreadyActive`).',
    scope: 'run',
    params: z.object({ syncId: id('synchronisation') }),
    body: z
      .object({
        test: z.boolean().default(false),
        force: z.boolean().default(false),
        full: z.boolean().default(false).describe('Incremental synchronisations: a full reconciliation.'),
      })
      .strict()
      .optional()
      .default({ test: false, force: false, full: false }),
    response: z.object({ run: R.Run, alreadyActive: z.boolean() }).meta({ id: 'RunRequested' }),
    status: 202,
    example: { test: true },
    handler: async ({ db, caller, params, body }) => {
      const { run, alreadyActive } = await requestRun(db, caller.orgId, params.syncId, {
        trigger: 'api',
        ...body,
      });
      if (!alreadyActive) await dispatchRun(db, run);
      return { body: { run: R.toRun(run), alreadyActive } };
    },
  }),
];
