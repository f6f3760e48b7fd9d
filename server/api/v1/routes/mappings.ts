// Mappings: list, read, create, change and delete, and their test — a saved mapping or an unsaved one
// tried on a sample object through the mapping bench's service, optionally checked against a schema.
import { z } from 'zod';
import * as mappings from '@/server/services/mappings';
import { storedMapping } from '@/server/sync/config/stored';
import { validateMapping } from '@/server/sync/core';
import { pageById } from '../cursor';
import { route, type RouteDef } from '../define';
import { ApiProblem, fieldOf } from '../problem';
import { list } from '../resources';
import * as R from '../resources/mappings';
import { checkLastChange, deleteLastChanged, versionOf } from './last-change';
import { description, id, name, pageQuery } from './shared';

const byId = z.object({ mappingId: id('mapping') });
const testInput = z.object({
  sample: z.record(z.string(), z.unknown()).describe('One object as the source delivers it.'),
  schemaId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('A register schema to check the mapped object against.'),
});
const sample = { name: 'Ada', email: 'ada@example.test', address: { city: 'Leiden' } };

/**
 * Every problem of a configuration at its own field (`body.config.mapping.city`): the service refuses
 * the same configuration too, but names only the first problem, relative to the configuration.
 */
function checkConfig(config: unknown) {
  const checked = validateMapping(config);
  if (checked.ok) return;
  const errors = checked.problems.map((p) =>
    fieldOf('body', { field: p.key ? `config.${p.key}` : 'config', message: p.message }),
  );
  throw new ApiProblem(400, `The mapping is invalid: ${errors.map((e) => e.detail).join('; ')}.`, errors);
}

const answer = (row: Parameters<typeof R.toMapping>[0]) => ({
  body: R.toMapping(row),
  version: versionOf(row),
});

export const mappingRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/mappings',
    operationId: 'listMappings',
    tag: 'Mappings',
    summary: 'List mappings',
    scope: 'read',
    query: pageQuery,
    response: list(R.Mapping, 'MappingList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const page = pageById(await mappings.listMappings(db, caller.orgId), query.cursor, query.limit);
      return { body: { items: page.items.map(R.toMapping), nextCursor: page.nextCursor }, next: page.next };
    },
  }),
  route({
    method: 'POST',
    path: '/mappings',
    operationId: 'createMapping',
    tag: 'Mappings',
    summary: 'Create a mapping (checked with the mapping language; each problem at its key)',
    scope: 'write',
    body: z.object({ name, description, config: R.MappingConfig }).strict(),
    response: R.Mapping,
    status: 201,
    etag: true,
    example: { name: 'Person', config: { mapping: { name: 'name', email: 'email', city: 'address.city' } } },
    handler: async ({ db, caller, body }) => {
      checkConfig(body.config);
      return answer(await mappings.createMapping(db, caller.orgId, body));
    },
  }),
  route({
    method: 'GET',
    path: '/mappings/{mappingId}',
    operationId: 'getMapping',
    tag: 'Mappings',
    summary: 'Get a mapping (with its ETag)',
    scope: 'read',
    params: byId,
    response: R.Mapping,
    etag: true,
    handler: async ({ db, caller, params }) =>
      answer(await mappings.loadMapping(db, caller.orgId, params.mappingId)),
  }),
  route({
    method: 'PATCH',
    path: '/mappings/{mappingId}',
    operationId: 'updateMapping',
    tag: 'Mappings',
    summary: 'Change a mapping: its name, description or configuration (whole)',
    description: 'Send If-Match with the ETag you read to refuse a change made since (412).',
    scope: 'write',
    params: byId,
    body: z.object({ name: name.optional(), description, config: R.MappingConfig.optional() }).strict(),
    response: R.Mapping,
    etag: true,
    example: { description: 'People from the HR system' },
    handler: async ({ db, caller, params, body, ifMatch }) => {
      if (body.config !== undefined) checkConfig(body.config);
      checkLastChange(await mappings.loadMapping(db, caller.orgId, params.mappingId), ifMatch, 'mapping');
      return answer(await mappings.updateMapping(db, caller.orgId, params.mappingId, body));
    },
  }),
  deleteLastChanged({
    path: '/mappings/{mappingId}',
    operationId: 'deleteMapping',
    tag: 'Mappings',
    summary: 'Delete a mapping (refused while a synchronisation uses it)',
    params: byId,
    what: 'mapping',
    load: (db, orgId, { mappingId }) => mappings.loadMapping(db, orgId, mappingId),
    remove: (db, orgId, { mappingId }) => mappings.deleteMapping(db, orgId, mappingId),
  }),
  route({
    method: 'POST',
    path: '/mappings/{mappingId}/test',
    operationId: 'testMapping',
    tag: 'Mappings',
    summary: 'Try a saved mapping on a sample object',
    description:
      'Changes nothing. The answer is the mapped object and the keys the sample lacks, or the ' +
      'problems that stopped it; given a schemaId, also where the result breaks that schema.',
    scope: 'read',
    params: byId,
    body: testInput,
    response: R.MappingTest,
    example: { sample },
    handler: async ({ db, caller, params, body }) => {
      const row = await mappings.loadMapping(db, caller.orgId, params.mappingId);
      const config = storedMapping(row.config, row.id);
      return { body: R.toMappingTest(await mappings.testMappingFor(db, caller.orgId, { ...body, config })) };
    },
  }),
  route({
    method: 'POST',
    path: '/mappings/test',
    operationId: 'testUnsavedMapping',
    tag: 'Mappings',
    summary: 'Try a mapping configuration on a sample object before saving it',
    description: 'As the mapping bench: changes nothing, saves nothing.',
    scope: 'read',
    body: testInput.extend({ config: R.MappingConfig }),
    response: R.MappingTest,
    example: { config: { mapping: { name: 'name', city: 'address.city' } }, sample },
    handler: async ({ db, caller, body }) => ({
      body: R.toMappingTest(await mappings.testMappingFor(db, caller.orgId, body)),
    }),
  }),
];
