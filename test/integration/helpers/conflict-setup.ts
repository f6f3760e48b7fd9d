// A two-way synchronisation for the conflict queue tests: the people REST API ⇄ the Directory register
// (made through the API as a one-way synchronisation, then turned two-way in the database, as the form
// for two-way settings is not part of these tests), with a manual conflict policy.
import { eq } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { synchronisations } from '@/server/db/schema';
import { restToRegister } from './sync-setup';

export async function twoWayPeople(db: Db, baseUrl: string, name = 'People both ways') {
  const setup = await restToRegister(db, baseUrl, { name });
  await db
    .update(synchronisations)
    .set({ direction: 'two-way', twoWay: { conflictPolicy: 'manual' } })
    .where(eq(synchronisations.id, setup.sync.id));
  return setup;
}

/** A second two-way synchronisation of the same organisation, with the same source and target. */
export async function anotherTwoWay(db: Db, setup: Awaited<ReturnType<typeof twoWayPeople>>, name: string) {
  const sync = await setup.api.synchronisations.create({ orgId: setup.orgId, ...setup.input, name });
  await db
    .update(synchronisations)
    .set({ direction: 'two-way', twoWay: { conflictPolicy: 'source-wins' } })
    .where(eq(synchronisations.id, sync.id));
  return sync;
}
