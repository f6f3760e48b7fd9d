// What the two-way configuration tests share: an organisation with a REST source ("People API"), a
// "Directory" register with the Person schema, a register source reading that schema, mappings, and the
// input of a two-way synchronisation between the API and the schema; and how a refusal reads.
import { TRPCError } from '@trpc/server';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import { ownerApi } from '../helpers/owner-api';
import { PERSON_MAPPING, PERSON_SCHEMA } from '../helpers/sync-setup';

/** Person (register) → the API's shape: what a two-way synchronisation writes back. */
export const PERSON_OUT_MAPPING = { mapping: { name: 'name', email: 'email', 'address.city': 'city' } };

export async function twoWaySetup(baseUrl = 'http://127.0.0.1:9') {
  const o = await ownerApi();
  const { api, orgId } = o;
  const api2 = await api.sources.create({ orgId, name: 'People API', type: 'rest', config: { baseUrl } });
  const register = await api.registers.create({ orgId, name: 'Directory' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_SCHEMA,
  });
  const registerSource = await api.sources.create({
    orgId,
    name: 'Directory source',
    type: 'register',
    config: { registerId: register.id, schemaId: schema.id },
  });
  const mapping = await api.mappings.create({ orgId, name: 'Person in', config: PERSON_MAPPING });
  const outMapping = await api.mappings.create({ orgId, name: 'Person out', config: PERSON_OUT_MAPPING });
  /** People API ⇄ Directory › Person, with the defaults for everything else. */
  const twoWay: SynchronisationInput = {
    name: 'People both ways',
    sourceId: api2.id,
    sourceEndpoint: '/people?_page=1&_limit=10',
    sourceConfig: { pagination: { kind: 'link-header' } },
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    direction: 'two-way',
  };
  return { ...o, peerSource: api2, register, schema, registerSource, mapping, outMapping, twoWay };
}

export type TwoWaySetup = Awaited<ReturnType<typeof twoWaySetup>>;

/** Every problem of a refused call at its field (one for a refusal that is a single sentence). */
export async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause as { field?: string; issues?: { field: string; message: string }[] };
    return {
      code: error.code,
      message: error.message,
      issues: cause.issues ?? [{ field: cause.field ?? '', message: error.message }],
    };
  }
  throw new Error('expected the call to be refused');
}
