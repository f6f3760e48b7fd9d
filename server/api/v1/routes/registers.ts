// Registers and their schemas.
import { z } from 'zod';
import * as registers from '@/server/services/registers';
import { pageById } from '../cursor';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import { description, id, name, pageQuery } from './shared';

export const registerRoutes: RouteDef[] = [
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
