// A two-way synchronisation between a REST peer (json-server) and a register schema, as a person sets it
// up: a REST source, a Person schema, a mapping of the fields both sides share, direction two-way.
import { eq } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import {
  conflicts,
  contractReadColumns,
  contracts,
  objects,
  ofSchema,
  ofSynchronisation,
} from '@/server/db/schema';
import type { TwoWayConfigInput } from '@/server/sync/config/sync-config';
import { callerFor, createOwner } from '../../factories';
import { runDirect } from '../helpers/sync-setup';

export const PERSON_SCHEMA = {
  type: 'object',
  required: ['name', 'email'],
  properties: { name: { type: 'string', minLength: 1 }, email: { type: 'string' }, city: { type: 'string' } },
};

/** The fields both systems hold; the source's id stays the source's. */
export const SHARED_FIELDS = { mapping: { name: 'name', email: 'email', city: 'city' } };

type Extra = { deleteMode?: 'none' | 'soft' | 'hard'; deleteThreshold?: number };

/** How the synchronisation starts: two-way (the default), or one-way until `makeTwoWay` is called. */
type Start = { oneWayFirst?: boolean };

export async function restTwoWay(
  db: Db,
  baseUrl: string,
  twoWay: TwoWayConfigInput = {},
  extra: Extra = {},
  start: Start = {},
) {
  const owner = await createOwner(db);
  const setup = await restTwoWayIn(
    db,
    callerFor(db, owner.user),
    owner.org.id,
    baseUrl,
    twoWay,
    extra,
    {},
    start,
  );
  return { owner, ...setup };
}

/**
 * The same in an organisation that exists already; `names` keeps it apart from what it holds (a
 * register of another name, another collection of the peer).
 */
export async function restTwoWayIn(
  db: Db,
  api: ReturnType<typeof callerFor>,
  orgId: string,
  baseUrl: string,
  twoWay: TwoWayConfigInput = {},
  extra: Extra = {},
  names: { register?: string; endpoint?: string; sync?: string } = {},
  start: Start = {},
) {
  const source = await api.sources.create({ orgId, name: 'CRM', type: 'rest', config: { baseUrl } });
  const register = await api.registers.create({ orgId, name: names.register ?? 'Directory' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_SCHEMA,
  });
  const mapping = await api.mappings.create({ orgId, name: 'Person', config: SHARED_FIELDS });
  const input = {
    orgId,
    name: names.sync ?? 'CRM ⇄ directory',
    sourceId: source.id,
    sourceEndpoint: names.endpoint ?? '/people',
    mappingId: mapping.id,
    targetType: 'register' as const,
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    ...extra,
  };
  const sync = await api.synchronisations.create({
    ...input,
    ...(start.oneWayFirst ? { direction: 'one-way' as const } : { direction: 'two-way' as const, twoWay }),
  });
  /** Turns the synchronisation two-way (or back), as its form's save does (every field sent). */
  const makeTwoWay = () =>
    api.synchronisations.update({ ...input, syncId: sync.id, direction: 'two-way', twoWay });
  const makeOneWay = () => api.synchronisations.update({ ...input, syncId: sync.id, direction: 'one-way' });
  /** Gives the synchronisation these mappings in (edited in place) and back (a new write-back mapping). */
  const mapBothWays = async (
    inbound: Record<string, string>,
    back: Record<string, string>,
    settings = twoWay,
  ) => {
    await api.mappings.update({ orgId, mappingId: mapping.id, config: { mapping: inbound } });
    const writeBack = await api.mappings.create({ orgId, name: 'Person back', config: { mapping: back } });
    await api.synchronisations.update({
      ...input,
      syncId: sync.id,
      writeBackMappingId: writeBack.id,
      direction: 'two-way',
      twoWay: settings,
    });
  };
  const run = (mode: { test?: boolean; force?: boolean } = {}) => runDirect(db, orgId, sync.id, mode);
  const registerObjects = async () =>
    (await db.select().from(objects).where(ofSchema(schema.id))).filter((o) => o.deletedAt === null);
  const contractsOf = () => db.select(contractReadColumns).from(contracts).where(ofSynchronisation(sync.id));
  const conflictsOf = () => db.select().from(conflicts).where(eq(conflicts.synchronisationId, sync.id));
  return {
    api,
    orgId,
    source,
    register,
    schema,
    mapping,
    sync,
    makeTwoWay,
    makeOneWay,
    mapBothWays,
    run,
    registerObjects,
    contractsOf,
    conflictsOf,
  };
}
