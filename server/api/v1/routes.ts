// Every route of /api/v1, in one list: the dispatcher (handle.ts), the OpenAPI document (openapi.ts)
// and the tenancy test (test/integration/api-v1/tenancy.test.ts) are all derived from it. Handlers are
// thin: they call the same services as the tRPC routers, with the key's organisation as the tenant.
import { z } from 'zod';
import { dispatchRun, notifyCancelled } from '@/server/runner/dispatch';
import { UserError } from '@/server/services/errors';
import { objectChangesAfter } from '@/server/services/object-changes';
import * as objectsService from '@/server/services/objects';
import * as registers from '@/server/services/registers';
import { cancelRun, listRunEntries, listRuns, loadRun, requestRun } from '@/server/services/runs';
import { listSynchronisations, loadSynchronisation } from '@/server/services/synchronisations';
import { decodeCursor, encodeCursor, pageById } from './cursor';
import { route, type RouteDef } from './define';
import { ApiProblem } from './problem';
import * as R from './resources';
import { batchRoutes } from './routes-batch';

const id = (what: string) => z.string().min(1).max(100).describe(`The ${what}'s id`);
const name = z.string().trim().min(1).max(100);
const description = z.string().max(2000).optional();
const objectData = z
  .record(z.string(), z.unknown(), { error: 'The object must be a JSON object.' })
  .meta({ id: 'ObjectData', description: 'The object itself, checked against its schema.' });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('From the previous answer (or its Link header).'),
});

/** Who a change made with a key is recorded as: the person who created the key. */
function author(ctx: { caller: { createdBy: string | null } }): string {
  if (!ctx.caller.createdBy)
    throw new UserError(
      'FORBIDDEN',
      'The person who created this key has left: create a new key to make changes.',
    );
  return ctx.caller.createdBy;
}

/** If-Match against the object's current version: a mismatch is 412, never a silent overwrite. */
function checkVersion(current: number, ifMatch: number | undefined) {
  if (ifMatch !== undefined && ifMatch !== current)
    throw new ApiProblem(
      412,
      `The object is at version ${current}, not ${ifMatch}: fetch it again and reapply your change.`,
    );
}

const registerRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/registers',
    operationId: 'listRegisters',
    tag: 'Registers',
    summary: 'List registers with their schemas',
    scope: 'read',
    query: pageQuery,
    response: R.list(R.Register, 'RegisterList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const page = pageById(await registers.listRegisters(db, caller.orgId), query.cursor, query.limit);
      return { body: { items: page.items.map(R.toRegister), nextCursor: page.nextCursor }, next: page.next };
    },
  }),
  route({
    method: 'POST',
    path: '/registers',
    operationId: 'createRegister',
    tag: 'Registers',
    summary: 'Create a register',
    scope: 'write',
    body: z.object({ name, description }).strict(),
    response: R.Register,
    status: 201,
    example: { name: 'Water points', description: 'Wells and taps' },
    handler: async ({ db, caller, body }) => ({
      body: R.toRegister(await registers.createRegister(db, caller.orgId, body)),
    }),
  }),
  route({
    method: 'GET',
    path: '/registers/{registerId}',
    operationId: 'getRegister',
    tag: 'Registers',
    summary: 'Get a register',
    scope: 'read',
    params: z.object({ registerId: id('register') }),
    response: R.Register,
    handler: async ({ db, caller, params }) => ({
      body: R.toRegister(await registers.loadRegister(db, caller.orgId, params.registerId)),
    }),
  }),
  route({
    method: 'PATCH',
    path: '/registers/{registerId}',
    operationId: 'updateRegister',
    tag: 'Registers',
    summary: 'Rename or describe a register',
    scope: 'write',
    params: z.object({ registerId: id('register') }),
    body: z.object({ name: name.optional(), description }).strict(),
    response: R.Register,
    example: { description: 'Every well we look after' },
    handler: async ({ db, caller, params, body }) => ({
      body: R.toRegister(await registers.updateRegister(db, caller.orgId, params.registerId, body)),
    }),
  }),
  route({
    method: 'DELETE',
    path: '/registers/{registerId}',
    operationId: 'deleteRegister',
    tag: 'Registers',
    summary: 'Delete a register (refused while a synchronisation uses it)',
    scope: 'write',
    params: z.object({ registerId: id('register') }),
    response: z.null(),
    status: 204,
    handler: async ({ db, caller, params }) => {
      await registers.deleteRegister(db, caller.orgId, params.registerId);
      return { body: undefined };
    },
  }),
  route({
    method: 'POST',
    path: '/registers/{registerId}/schemas',
    operationId: 'createSchema',
    tag: 'Schemas',
    summary: 'Add a schema (JSON Schema) to a register',
    scope: 'write',
    params: z.object({ registerId: id('register') }),
    body: z.object({ name, description, jsonSchema: z.record(z.string(), z.unknown()) }).strict(),
    response: R.Schema,
    status: 201,
    example: {
      name: 'Well',
      jsonSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    },
    handler: async ({ db, caller, params, body }) => ({
      body: R.toSchema(await registers.createSchema(db, caller.orgId, params.registerId, body)),
    }),
  }),
  route({
    method: 'GET',
    path: '/schemas/{schemaId}',
    operationId: 'getSchema',
    tag: 'Schemas',
    summary: 'Get a schema',
    scope: 'read',
    params: z.object({ schemaId: id('schema') }),
    response: R.Schema,
    handler: async ({ db, caller, params }) => ({
      body: R.toSchema(await registers.loadSchema(db, caller.orgId, params.schemaId)),
    }),
  }),
  route({
    method: 'PATCH',
    path: '/schemas/{schemaId}',
    operationId: 'updateSchema',
    tag: 'Schemas',
    summary: 'Change a schema',
    scope: 'write',
    params: z.object({ schemaId: id('schema') }),
    body: z
      .object({
        name: name.optional(),
        description,
        jsonSchema: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    response: R.Schema,
    handler: async ({ db, caller, params, body }) => ({
      body: R.toSchema(await registers.updateSchema(db, caller.orgId, params.schemaId, body)),
    }),
  }),
  route({
    method: 'DELETE',
    path: '/schemas/{schemaId}',
    operationId: 'deleteSchema',
    tag: 'Schemas',
    summary: 'Delete a schema (refused while a synchronisation uses it)',
    scope: 'write',
    params: z.object({ schemaId: id('schema') }),
    response: z.null(),
    status: 204,
    handler: async ({ db, caller, params }) => {
      await registers.deleteSchema(db, caller.orgId, params.schemaId);
      return { body: undefined };
    },
  }),
];

const objectRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/schemas/{schemaId}/objects',
    operationId: 'listObjects',
    tag: 'Objects',
    summary: 'List a schema’s objects, newest change first (plain paging)',
    description:
      'For simple clients: `limit` objects from `start` (0-based), or page `page` (1-based) of `limit`. ' +
      'To follow every change reliably, use the change feed instead.',
    scope: 'read',
    params: z.object({ schemaId: id('schema') }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      page: z.coerce.number().int().min(1).optional(),
      start: z.coerce.number().int().min(0).optional(),
      search: z.string().max(200).optional(),
    }),
    response: z
      .object({
        items: z.array(R.RegisterObject),
        total: z.int(),
        start: z.int(),
        limit: z.int(),
        page: z.int(),
      })
      .meta({ id: 'ObjectPage' }),
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      if (query.start !== undefined && query.page !== undefined)
        throw new ApiProblem(400, 'Give either start or page, not both.', [
          { field: 'query.page', pointer: '/page', detail: 'Leave out page when you give start.' },
        ]);
      if (query.start !== undefined && query.start % query.limit !== 0)
        throw new ApiProblem(400, 'start must be a multiple of limit.', [
          { field: 'query.start', pointer: '/start', detail: `Use a multiple of ${query.limit}.` },
        ]);
      const page = query.page ?? Math.floor((query.start ?? 0) / query.limit) + 1;
      const result = await registers.listObjects(db, caller.orgId, params.schemaId, {
        page,
        pageSize: query.limit,
        search: query.search,
      });
      const start = (page - 1) * query.limit;
      const more = start + result.rows.length < result.total;
      return {
        body: { items: result.rows.map(R.toObject), total: result.total, start, limit: query.limit, page },
        next: more ? { page: String(page + 1), limit: String(query.limit) } : null,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/schemas/{schemaId}/changes',
    operationId: 'listObjectChanges',
    tag: 'Objects',
    summary: 'The change feed of a schema’s objects',
    description:
      'Ordered by change, from an opaque cursor; deletions come as tombstones (`op: delete`). ' +
      'Delivery is at least once, in order: each object appears at its latest change, and comes again ' +
      'when it changes again. Store the `cursor` of each answer and pass it next time; without one the ' +
      'feed starts at the beginning.',
    scope: 'read',
    params: z.object({ schemaId: id('schema') }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: z.string().optional(),
    }),
    response: R.ChangePage,
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      const after = decodeCursor(query.cursor, (v): v is { s: number } => Number.isInteger(v.s))?.s ?? 0;
      const feed = await objectChangesAfter(db, caller.orgId, params.schemaId, after, query.limit);
      const cursor = encodeCursor({ s: feed.lastSeq });
      return {
        body: {
          changes: feed.changes.map(({ change, object }) => ({
            objectId: change.objectId,
            op: change.op,
            changedAt: change.changedAt.toISOString(),
            object: object ? R.toObject(object) : null,
          })),
          cursor,
          hasMore: feed.hasMore,
        },
        next: feed.hasMore ? { cursor, limit: String(query.limit) } : null,
      };
    },
  }),
  route({
    method: 'POST',
    path: '/schemas/{schemaId}/objects',
    operationId: 'createObject',
    tag: 'Objects',
    summary: 'Create an object (checked against the schema, pushed to its subscribers)',
    scope: 'write',
    params: z.object({ schemaId: id('schema') }),
    body: objectData,
    response: R.RegisterObject,
    status: 201,
    etag: true,
    example: { name: 'Ada', email: 'ada@example.test' },
    handler: async (ctx) => {
      const row = await objectsService.createObject(ctx.db, ctx.caller.orgId, author(ctx), {
        schemaId: ctx.params.schemaId,
        data: ctx.body,
      });
      return { body: R.toObject(row), version: row.version };
    },
  }),
  route({
    method: 'GET',
    path: '/objects/{objectId}',
    operationId: 'getObject',
    tag: 'Objects',
    summary: 'Get an object (with its ETag)',
    scope: 'read',
    params: z.object({ objectId: id('object') }),
    response: R.RegisterObject,
    etag: true,
    handler: async ({ db, caller, params }) => {
      const row = await registers.getObject(db, caller.orgId, params.objectId);
      return { body: R.toObject(row), version: row.version };
    },
  }),
  route({
    method: 'PUT',
    path: '/objects/{objectId}',
    operationId: 'replaceObject',
    tag: 'Objects',
    summary: 'Replace an object; send If-Match with its ETag to refuse a lost update (412)',
    scope: 'write',
    params: z.object({ objectId: id('object') }),
    body: objectData,
    response: R.RegisterObject,
    etag: true,
    example: { name: 'Ada Lovelace', email: 'ada@example.test' },
    handler: async (ctx) => {
      const current = await registers.getObject(ctx.db, ctx.caller.orgId, ctx.params.objectId);
      checkVersion(current.version, ctx.ifMatch);
      const row = await objectsService.updateObject(ctx.db, ctx.caller.orgId, author(ctx), {
        objectId: current.id,
        version: current.version,
        data: ctx.body,
      });
      return { body: R.toObject(row), version: row.version };
    },
  }),
  route({
    method: 'DELETE',
    path: '/objects/{objectId}',
    operationId: 'deleteObject',
    tag: 'Objects',
    summary: 'Delete an object (soft: it stays readable, a tombstone goes to the change feed)',
    scope: 'write',
    params: z.object({ objectId: id('object') }),
    response: z.null(),
    status: 204,
    etag: true,
    handler: async (ctx) => {
      const current = await registers.getObject(ctx.db, ctx.caller.orgId, ctx.params.objectId);
      checkVersion(current.version, ctx.ifMatch);
      await objectsService.deleteObject(ctx.db, ctx.caller.orgId, author(ctx), { objectId: current.id });
      return { body: undefined };
    },
  }),
];

const syncRoutes: RouteDef[] = [
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

const keyRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/key',
    operationId: 'getCurrentKey',
    tag: 'Keys',
    summary: 'The key you are calling with: its organisation and scopes',
    scope: 'read',
    response: R.ApiKeyInfo,
    handler: ({ caller }) =>
      Promise.resolve({ body: { id: caller.keyId, organisationId: caller.orgId, scopes: caller.scopes } }),
  }),
];

/** The document itself; the one route that answers without a key. */
export const openApiRoute = route({
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  tag: 'Meta',
  summary: 'This API’s OpenAPI 3.1 document',
  scope: 'read',
  response: z.record(z.string(), z.unknown()),
  handler: async () => {
    const { openApiDocument } = await import('./openapi');
    return { body: openApiDocument() };
  },
});

export const ROUTES: RouteDef[] = [
  ...keyRoutes,
  ...registerRoutes,
  ...objectRoutes,
  ...batchRoutes,
  ...syncRoutes,
  openApiRoute,
];
