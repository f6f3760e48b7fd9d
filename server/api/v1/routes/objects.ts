// A schema's objects: plain paging, the change feed, and create/read/update/delete with ETags.
import { z } from 'zod';
import { objectChangesAfter } from '@/server/services/object-changes';
import * as objectsService from '@/server/services/objects';
import { UserError } from '@/server/services/errors';
import { InvalidInput } from '@/server/services/field-issues';
import { listObjects } from '@/server/services/objects-list';
import * as registers from '@/server/services/registers';
import { changeCursor, changeCursorPosition } from '../change-cursor';
import { route, type RouteDef } from '../define';
import { ApiProblem } from '../problem';
import * as R from '../resources';
import { author, checkVersion, id, objectData } from './shared';

/**
 * The object's data is the whole request body here, so a problem the service places at `data.age` is at
 * the body's `age` (`/age`): a client finds it where it sent it.
 */
async function dataAsBody<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    throw new InvalidInput(
      error.issues.map((issue) => ({ ...issue, field: issue.field.replace(/^data(\.|$)/, '') })),
    );
  }
}

export const objectRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/schemas/{schemaId}/objects',
    operationId: 'listObjects',
    tag: 'Objects',
    summary: 'List a schema’s objects, newest change first',
    description:
      'Plain paging: `limit` objects from `start` (0-based), or page `page` (1-based) of `limit`; the ' +
      '`Link` header leads to the next page the same way. It walks every object before the page, so ' +
      'far into a large schema pass `cursor` instead: `nextCursor`, `previousCursor` and `lastCursor` ' +
      'of an answer each lead to a page that costs the same however deep it is (then the `Link` header ' +
      'holds the cursor, and `start` and `page` are null). `search`: the start of an object id ' +
      '(`obj_…`), or text anywhere in the object’s JSON (ASCII letters in either case); with a cursor ' +
      'its total is counted up to 10,000 (`totalExact` false beyond). To follow every change reliably, ' +
      'use the change feed instead.',
    scope: 'read',
    params: z.object({ schemaId: id('schema') }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(2000).optional().describe('From the previous answer (or its Link header).'),
      page: z.coerce.number().int().min(1).optional(),
      start: z.coerce.number().int().min(0).optional(),
      search: z.string().max(200).optional(),
    }),
    response: z
      .object({
        items: z.array(R.RegisterObject),
        total: z.int(),
        totalExact: z.boolean(),
        nextCursor: z.string().nullable(),
        previousCursor: z.string().nullable(),
        lastCursor: z.string().nullable(),
        start: z.int().nullable().describe('The first item’s position; null on a page reached by cursor.'),
        limit: z.int(),
        page: z.int().nullable().describe('The page number by `limit`; null on a page reached by cursor.'),
      })
      .meta({ id: 'ObjectPage' }),
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      const given = (['cursor', 'page', 'start'] as const).filter((k) => query[k] !== undefined);
      if (given.length > 1)
        throw new ApiProblem(400, `Give one of cursor, page and start, not ${given.join(' and ')}.`, [
          { field: `query.${given[1]}`, pointer: `/${given[1]}`, detail: `Leave out ${given[1]}.` },
        ]);
      if (query.start !== undefined && query.start % query.limit !== 0)
        throw new ApiProblem(400, 'start must be a multiple of limit.', [
          { field: 'query.start', pointer: '/start', detail: `Use a multiple of ${query.limit}.` },
        ]);
      // Without a cursor, plain paging from the first page (as before cursors were offered).
      const plain = query.cursor === undefined;
      const start = query.page !== undefined ? (query.page - 1) * query.limit : (query.start ?? 0);
      const page = await listObjects(db, caller.orgId, params.schemaId, {
        pageSize: query.limit,
        ...(plain ? { start, countAll: true } : { cursor: query.cursor }),
        search: query.search,
      }).catch((error: unknown) => {
        if (error instanceof UserError && error.field === 'cursor')
          throw new ApiProblem(400, error.message, [
            { field: 'query.cursor', pointer: '/cursor', detail: 'Pass back a cursor of a previous answer.' },
          ]);
        throw error;
      });
      // The next page the way this one was asked for (the link keeps the rest of the query).
      const limit = String(query.limit);
      const next: Record<string, string> | null = !page.next
        ? null
        : !plain
          ? { cursor: page.next, limit }
          : query.start !== undefined
            ? { start: String(start + query.limit), limit }
            : { page: String(start / query.limit + 2), limit };
      return {
        body: {
          items: page.rows.map(R.toObject),
          total: page.total,
          totalExact: page.totalExact,
          nextCursor: page.next,
          previousCursor: page.previous,
          lastCursor: page.last,
          start: page.start,
          limit: query.limit,
          page: page.start === null ? null : page.start / query.limit + 1,
        },
        next,
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
      'feed starts at the beginning; another schema’s cursor is refused (400).',
    scope: 'read',
    params: z.object({ schemaId: id('schema') }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: z.string().optional(),
    }),
    response: R.ChangePage,
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      const after = changeCursorPosition(query.cursor, params.schemaId);
      const feed = await objectChangesAfter(db, caller.orgId, params.schemaId, after, query.limit);
      const cursor = changeCursor(feed.lastSeq, params.schemaId);
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
      const row = await dataAsBody(() =>
        objectsService.createObject(ctx.db, ctx.caller.orgId, author(ctx), {
          schemaId: ctx.params.schemaId,
          data: ctx.body,
        }),
      );
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
      const row = await dataAsBody(() =>
        objectsService.updateObject(ctx.db, ctx.caller.orgId, author(ctx), {
          objectId: current.id,
          version: current.version,
          data: ctx.body,
        }),
      );
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
