// Connections: discover a source's data types, create the schemas, mappings and synchronisations of the
// chosen ones in one call, list and read them side by side, schedule, run (or test) every member, ungroup.
import { z } from 'zod';
import { dispatchRun } from '@/server/runner/dispatch';
import { urlPolicy } from '@/server/runner/url-policy';
import { connectionStatus, requestConnectionRun } from '@/server/services/connection-runs';
import * as connections from '@/server/services/connections';
import { discoverSource } from '@/server/services/discover';
import { strictObject } from '@/server/sync/core/strict-object';
import { pageById } from '../cursor';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import * as C from '../resources/connections';
import { id, pageQuery } from './shared';

const byConnection = z.object({ connectionId: id('connection') });

export const connectionRoutes: RouteDef[] = [
  route({
    method: 'POST',
    path: '/connections/discover',
    operationId: 'discoverDataTypes',
    tag: 'Connections',
    summary: 'Ask a source which data types it offers (tables, views, endpoints, a file’s rows)',
    description:
      'REST sources read one page of each endpoint you name. Each type comes with its fields and id ' +
      'field; send the ones you want to `POST /connections`.',
    // As Test connection: it makes Concord call out, which a read-only key must not.
    scope: 'write',
    body: strictObject(
      {
        sourceId: id('source'),
        endpoints: z
          .array(z.string().max(2000))
          .max(20)
          .optional()
          .describe('REST sources: paths to look at.'),
      },
      'field',
    ),
    response: C.Discovery,
    example: { sourceId: '{restSourceId}', endpoints: ['/people'] },
    handler: async ({ db, caller, body }) => ({
      body: await discoverSource(db, caller.orgId, body.sourceId, body, { urlPolicy: urlPolicy() }),
    }),
  }),
  route({
    method: 'GET',
    path: '/connections',
    operationId: 'listConnections',
    tag: 'Connections',
    summary: 'List connections',
    scope: 'read',
    query: pageQuery,
    response: R.list(C.Connection, 'ConnectionList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const page = pageById(await connections.listConnections(db, caller.orgId), query.cursor, query.limit);
      return {
        body: { items: page.items.map(C.toConnection), nextCursor: page.nextCursor },
        next: page.next,
      };
    },
  }),
  route({
    method: 'POST',
    path: '/connections',
    operationId: 'createConnection',
    tag: 'Connections',
    summary: 'Create a connection: a schema, mapping and synchronisation for each data type, in one go',
    description:
      'Names already taken get a suffix ("(2)"); nothing that exists is overwritten. Without `registerId` ' +
      'the schemas go into a new register named after the connection.',
    scope: 'write',
    body: strictObject(connections.connectionInput.shape, 'field'),
    response: C.ConnectionDetail,
    status: 201,
    example: {
      name: 'People API',
      sourceId: '{restSourceId}',
      types: [
        {
          name: 'people',
          kind: 'endpoint',
          endpoint: '/people',
          idField: 'id',
          fields: [
            { name: 'id', type: 'integer', nullable: false, key: true },
            { name: 'name', type: 'string', nullable: false, key: false },
            { name: 'email', type: 'string', nullable: true, key: false },
          ],
        },
      ],
    },
    handler: async ({ db, caller, body }) => {
      const connection = await connections.createConnection(db, caller.orgId, body);
      return { body: C.toConnectionDetail(await connectionStatus(db, caller.orgId, connection.id)) };
    },
  }),
  route({
    method: 'GET',
    path: '/connections/{connectionId}',
    operationId: 'getConnection',
    tag: 'Connections',
    summary: 'Get a connection with each member’s latest run and contracts',
    scope: 'read',
    params: byConnection,
    response: C.ConnectionDetail,
    handler: async ({ db, caller, params }) => ({
      body: C.toConnectionDetail(await connectionStatus(db, caller.orgId, params.connectionId)),
    }),
  }),
  route({
    method: 'PATCH',
    path: '/connections/{connectionId}',
    operationId: 'updateConnection',
    tag: 'Connections',
    summary: 'Set the schedule every member runs on (null: none)',
    scope: 'write',
    params: byConnection,
    body: strictObject(
      {
        scheduleCron: z
          .string()
          .trim()
          .max(200)
          .nullable()
          .optional()
          .describe('A cron expression; null: none.'),
        scheduleTimezone: z.string().trim().max(100).optional().describe('An IANA zone; UTC unless said.'),
      },
      'field',
    ),
    response: C.Connection,
    example: { scheduleCron: '30 6 * * 1-5', scheduleTimezone: 'Europe/Amsterdam' },
    handler: async ({ db, caller, params, body }) => {
      const current = await connections.loadConnection(db, caller.orgId, params.connectionId);
      const row = await connections.setConnectionSchedule(db, caller.orgId, current.id, {
        scheduleCron: body.scheduleCron === undefined ? current.scheduleCron : body.scheduleCron,
        scheduleTimezone: body.scheduleTimezone ?? current.scheduleTimezone,
      });
      return { body: C.toConnection(row) };
    },
  }),
  route({
    method: 'DELETE',
    path: '/connections/{connectionId}',
    operationId: 'deleteConnection',
    tag: 'Connections',
    summary: 'Ungroup: the synchronisations, schemas and mappings stay, each on its own',
    scope: 'write',
    params: byConnection,
    response: z.null(),
    status: 204,
    handler: async ({ db, caller, params }) => {
      await connections.deleteConnection(db, caller.orgId, params.connectionId);
      return { body: undefined };
    },
  }),
  route({
    method: 'POST',
    path: '/connections/{connectionId}/runs',
    operationId: 'runConnection',
    tag: 'Runs',
    summary:
      'Run every enabled member now (test: a dry run of every member; force: rewrite unchanged objects)',
    description:
      'A member already queued or running gives that run back (`alreadyActive`); disabled members are ' +
      'named in `skipped`. Send an Idempotency-Key: a retried request returns the same runs.',
    scope: 'run',
    params: byConnection,
    body: z
      .object({ test: z.boolean().default(false), force: z.boolean().default(false) })
      .strict()
      .optional()
      .default({ test: false, force: false }),
    response: C.ConnectionRunsStarted,
    status: 202,
    example: { test: true },
    handler: async ({ db, caller, params, body }) => {
      const { started, skipped } = await requestConnectionRun(db, caller.orgId, params.connectionId, {
        trigger: 'api',
        ...body,
      });
      for (const s of started) if (!s.alreadyActive) await dispatchRun(db, s.run);
      return {
        body: {
          runs: started.map((s) => ({
            synchronisationId: s.syncId,
            run: R.toRun(s.run),
            alreadyActive: s.alreadyActive,
          })),
          skipped: skipped.map((s) => ({ synchronisationId: s.syncId, name: s.name, reason: s.reason })),
        },
      };
    },
  }),
];
