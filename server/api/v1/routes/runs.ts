// Runs: list, get with entries, the entries filtered and paged as the run's page shows them (and grouped
// by reason), the timeline, cancel.
import { z } from 'zod';
import { RUN_TRIGGERS } from '@/server/db/schema';
import { notifyCancelled } from '@/server/runner/dispatch';
import { contractIdsByOrigin } from '@/server/services/contracts';
import { runEntryGroups, runTimeline } from '@/server/services/run-log';
import { listRunEntries } from '@/server/services/run-entries';
import { UserError } from '@/server/services/errors';
import { cancelRun, listRuns, loadRun, runEntryFilterSchema } from '@/server/services/runs';
import { RUN_RESULTS } from '@/server/sync/core/run-result';
import { changesOfRun } from '@/server/sync/stores/run-changes';
import { decodeCursor, encodeCursor } from '../cursor';
import { ApiProblem } from '../problem';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import * as L from '../resources/runs';
import { id } from './shared';

const byRun = z.object({ runId: id('run') });
const time = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
/** Offset pages, as the run's page turns them: `page` (1-based) of `limit`. */
const pageOf = (max: number) => ({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(max).default(100),
});
const nextPage = (q: { page: number; limit: number }, shown: number, total: number) =>
  (q.page - 1) * q.limit + shown < total ? { page: String(q.page + 1), limit: String(q.limit) } : null;

export const runRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/runs',
    operationId: 'listRuns',
    tag: 'Runs',
    summary: 'List runs, newest first',
    scope: 'read',
    description: 'Filtered as the logs across runs are: by synchronisation, result, trigger and time.',
    query: z.object({
      syncId: z.string().optional(),
      result: z
        .enum([...RUN_RESULTS, 'running', 'cancelled'])
        .optional()
        .describe('A finished run’s result, or `running` (queued or running), or `cancelled`.'),
      trigger: z.enum(RUN_TRIGGERS).optional(),
      from: time.optional().describe('Runs requested at or after this time (ISO 8601).'),
      to: time.optional().describe('Runs requested before this time (ISO 8601).'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().optional(),
    }),
    response: R.list(R.Run, 'RunList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const before = decodeCursor(query.cursor, (v): v is { id: string } => typeof v.id === 'string')?.id;
      const rows = await listRuns(db, caller.orgId, { ...query, limit: query.limit + 1, before }).catch(
        (error: unknown) => {
          if (error instanceof UserError && error.field === 'cursor')
            throw new ApiProblem(400, error.message, [
              { field: 'query.cursor', pointer: '/cursor', detail: 'Pass back a cursor of a recent answer.' },
            ]);
          throw error;
        },
      );
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
    params: byRun,
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
    method: 'GET',
    path: '/runs/{runId}/entries',
    operationId: 'listRunEntries',
    tag: 'Runs',
    summary: 'A run’s entries, filtered as on its page: by action, by reason (an error group), by text',
    scope: 'read',
    params: byRun,
    query: z.object({
      ...pageOf(500),
      action: runEntryFilterSchema.shape.action.describe('Only entries of this action.'),
      reason: runEntryFilterSchema.shape.reason.describe('Only entries with exactly this reason.'),
      search: runEntryFilterSchema.shape.search.describe('Text in the object’s id or the reason.'),
    }),
    response: L.RunEntryPage,
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      const run = await loadRun(db, caller.orgId, params.runId);
      const page = await listRunEntries(db, caller.orgId, run.id, { ...query, pageSize: query.limit });
      const origins = page.rows.flatMap((row) => (row.originId === null ? [] : [row.originId]));
      const contractIds = await contractIdsByOrigin(db, caller.orgId, run.synchronisationId, origins);
      const items = page.rows.map((row) =>
        L.toRunEntry({
          ...row,
          contractId: row.originId === null ? null : (contractIds.get(row.originId) ?? null),
        }),
      );
      return {
        body: { items, total: page.total, page: query.page, limit: query.limit },
        next: nextPage(query, items.length, page.total),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/runs/{runId}/entry-groups',
    operationId: 'listRunEntryGroups',
    tag: 'Runs',
    summary: 'A run’s entries grouped by action and reason, with counts and a few examples each',
    scope: 'read',
    params: byRun,
    response: L.RunEntryGroups,
    handler: async ({ db, caller, params }) => ({
      body: await runEntryGroups(db, caller.orgId, params.runId),
    }),
  }),
  route({
    method: 'GET',
    path: '/runs/{runId}/timeline',
    operationId: 'getRunTimeline',
    tag: 'Runs',
    summary:
      'A run’s timeline: each page read (URL, status, time, objects), each retry and why, the deletions',
    scope: 'read',
    params: byRun,
    query: z.object(pageOf(500)),
    response: L.Timeline,
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      const page = await runTimeline(db, caller.orgId, params.runId, {
        page: query.page,
        pageSize: query.limit,
      });
      const items = page.rows.map(L.toTimelineEvent);
      return {
        body: { items, total: page.total, page: query.page, limit: query.limit },
        next: nextPage(query, items.length, page.total),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/runs/{runId}/changes',
    operationId: 'listRunChanges',
    tag: 'Runs',
    summary: 'A push run’s changes delivered: each change id, its register object and how it ended',
    description: 'The first 500, in change order; empty for a run that pulls.',
    scope: 'read',
    params: byRun,
    response: z.object({ items: z.array(L.DeliveredChange) }).meta({ id: 'DeliveredChanges' }),
    handler: async ({ db, caller, params }) => {
      const run = await loadRun(db, caller.orgId, params.runId);
      const changes = await changesOfRun(db, caller.orgId, run.id);
      return { body: { items: changes.map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })) } };
    },
  }),
  route({
    method: 'POST',
    path: '/runs/{runId}/cancel',
    operationId: 'cancelRun',
    tag: 'Runs',
    summary: 'Cancel a queued or running run',
    scope: 'run',
    params: byRun,
    response: R.Run,
    handler: async ({ db, caller, params }) => {
      const run = await cancelRun(db, caller.orgId, params.runId);
      await notifyCancelled(run.id);
      return { body: R.toRun(run) };
    },
  }),
];
