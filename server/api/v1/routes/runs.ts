// Runs: list, get with entries, cancel.
import { z } from 'zod';
import { notifyCancelled } from '@/server/runner/dispatch';
import { cancelRun, listRunEntries, listRuns, loadRun } from '@/server/services/runs';
import { decodeCursor, encodeCursor } from '../cursor';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import { id } from './shared';

export const runRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/runs',
    operationId: 'listRuns',
    tag: 'Runs',
    summary: 'List runs, newest first',
    scope: 'read',
    query: z.object({
      syncId: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().optional(),
    }),
    response: R.list(R.Run, 'RunList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const before = decodeCursor(query.cursor, (v): v is { id: string } => typeof v.id === 'string')?.id;
      const rows = await listRuns(db, caller.orgId, { syncId: query.syncId, limit: query.limit + 1, before });
      const items = rows.slice(0, query.limit).map((r) => R.toRun(r.run));
      const nextCursor = rows.length > query.limit ? encodeCursor({ id: items.at(-1)!.id }) : null;
      return {
        body: { items, nextCursor },
        next: nextCursor ? { cursor: nextCursor, limit: String(query.limit) } : null,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/runs/{runId}',
    operationId: 'getRun',
    tag: 'Runs',
    summary: 'Get a run with its entries',
    scope: 'read',
    params: z.object({ runId: id('run') }),
    query: z.object({ entries: z.coerce.number().int().min(0).max(500).default(100) }),
    response: R.Run.extend({ entries: z.array(R.RunEntry), entriesTotal: z.int() }).meta({ id: 'RunDetail' }),
    handler: async ({ db, caller, params, query }) => {
      const run = await loadRun(db, caller.orgId, params.runId);
      const entries = await listRunEntries(db, caller.orgId, run.id, {
        page: 1,
        pageSize: Math.max(1, query.entries),
      });
      return {
        body: {
          ...R.toRun(run),
          entries: (query.entries ? entries.rows : []).map((e) => ({
            id: e.id,
            originId: e.originId,
            targetId: e.targetId,
            action: e.action,
            reason: e.reason,
          })),
          entriesTotal: entries.total,
        },
      };
    },
  }),
  route({
    method: 'POST',
    path: '/runs/{runId}/cancel',
    operationId: 'cancelRun',
    tag: 'Runs',
    summary: 'Cancel a queued or running run',
    scope: 'run',
    params: z.object({ runId: id('run') }),
    response: R.Run,
    handler: async ({ db, caller, params }) => {
      const run = await cancelRun(db, caller.orgId, params.runId);
      await notifyCancelled(run.id);
      return { body: R.toRun(run) };
    },
  }),
];
