// A two-way synchronisation for the conflict queue tests: the people REST API ⇄ the Directory register,
// with a manual conflict policy, made through the API as a person would.
import type { Db } from '@/server/db/client';
import { restToRegister } from './sync-setup';

export async function twoWayPeople(db: Db, baseUrl: string, name = 'People both ways') {
  return restToRegister(db, baseUrl, { name, direction: 'two-way', twoWay: { conflictPolicy: 'manual' } });
}

/**
 * A second two-way synchronisation of the same organisation into the same schema, from another system
 * (two of them between the same system and schema would be the duplicating pair Concord refuses).
 */
export async function anotherTwoWay(db: Db, setup: Awaited<ReturnType<typeof twoWayPeople>>, name: string) {
  const other = await setup.api.sources.create({
    orgId: setup.orgId,
    name: `${name} API`,
    type: 'rest',
    config: { baseUrl: 'http://127.0.0.1:9' },
  });
  return setup.api.synchronisations.create({
    orgId: setup.orgId,
    ...setup.input,
    sourceId: other.id,
    name,
    direction: 'two-way',
    twoWay: { conflictPolicy: 'source-wins' },
  });
}
