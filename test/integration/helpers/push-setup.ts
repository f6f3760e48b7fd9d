// A register schema pushed out to a REST peer (json-server), built through the API as a user would:
// a "Directory" register with the Person schema, a register source reading that schema, the peer as a
// REST source, and the push synchronisation from the one to the other. Free of test-runner imports, so
// the Playwright specs use it too.
import type { Db } from '@/server/db/client';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import { callerFor, createOwner } from '../../factories';

export const PERSON_JSON_SCHEMA = {
  type: 'object',
  required: ['name', 'email'],
  properties: { name: { type: 'string', minLength: 1 }, email: { type: 'string' }, city: { type: 'string' } },
};

/** Writes people to json-server's `/people`: POST to create, PUT to update, DELETE to delete. */
export const PEOPLE_TARGET = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
};

export async function registerToRest(db: Db, peerUrl: string, sync: Partial<SynchronisationInput> = {}) {
  const owner = await createOwner(db);
  const api = callerFor(db, owner.user);
  const orgId = owner.org.id;
  const register = await api.registers.create({ orgId, name: 'Directory' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_JSON_SCHEMA,
  });
  const registerSource = await api.sources.create({
    orgId,
    name: 'Directory',
    type: 'register',
    config: { registerId: register.id, schemaId: schema.id },
  });
  const peer = await api.sources.create({
    orgId,
    name: 'People API',
    type: 'rest',
    config: { baseUrl: peerUrl },
  });
  const push = await api.synchronisations.create({
    orgId,
    name: 'Directory to the People API',
    sourceId: registerSource.id,
    targetType: 'source',
    targetSourceId: peer.id,
    targetConfig: PEOPLE_TARGET,
    deleteMode: 'hard',
    ...sync,
  });
  return { owner, api, orgId, register, schema, registerSource, peer, push };
}

/** Requests json-server received, per object id in the URL: `{ 'POST /people': 1, 'PUT /people/obj_…': 1 }`. */
export function countRequests(requests: readonly { method: string; url: string }[]) {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    if (r.method === 'GET') continue;
    const key = `${r.method} ${r.url}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
