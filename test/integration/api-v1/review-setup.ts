// What a person reviews, made for real in an organisation: deletions held for approval (a synchronisation
// whose source lost most of its objects) and open conflicts (a two-way synchronisation whose object was
// changed on both sides), with json-server as the source, through the app's tRPC API as a person would.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '@/server/db/client';
import { objects, ofSchema, outbox, runs } from '@/server/db/schema';
import type { callerFor } from '../../factories';
import { restTwoWayIn } from '../two-way/setup';
import { runThroughApi } from '../helpers/sync-setup';
import type { apiClient } from './client';

type Api = ReturnType<typeof callerFor>;

/** The collection the two-way synchronisation reads (beside `people`, which one-way tests read). */
export const CREW = [
  { id: 1, name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
  { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Utrecht' },
  { id: 3, name: 'Cy', email: 'cy@example.test', city: 'Delft' },
];

/**
 * Runs the synchronisation (its objects get contracts), deletes `removed` from the peer's `people`,
 * and runs again: more than the threshold gone at once, so the run holds the deletions.
 */
export async function holdDeletions(
  setup: { api: Api; orgId: string; sync: { id: string } },
  peerUrl: string,
  removed: number[],
) {
  const { api, orgId, sync } = setup;
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success' });
  for (const id of removed) await fetch(`${peerUrl}/people/${id}`, { method: 'DELETE' });
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ held: removed.length, deleted: 0 });
}

/**
 * A two-way synchronisation (manual conflict policy) between the peer's `crew` and a register of its
 * own; after a first run, each of `ids` is changed in the register (city) and at the source (name and
 * city), so the next run opens one conflict per person: `city` conflicts, `name` changed at the source.
 */
export async function openConflicts(db: Db, api: Api, orgId: string, peerUrl: string, ids: number[]) {
  const { sync, schema } = await restTwoWayIn(
    db,
    api,
    orgId,
    peerUrl,
    { conflictPolicy: 'manual' },
    {},
    { register: 'Crew', endpoint: '/crew', sync: 'Crew ⇄ register' },
  );
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success' });
  const live = () =>
    db
      .select()
      .from(objects)
      .where(and(ofSchema(schema.id), isNull(objects.deletedAt)));
  for (const id of ids) {
    const person = CREW.find((p) => p.id === id)!;
    const object = (await live()).find((o) => o.data.name === person.name)!;
    await api.registers.updateObject({
      orgId,
      objectId: object.id,
      version: object.version,
      data: { ...object.data, city: 'Paris' },
    });
    await fetch(`${peerUrl}/crew/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `${person.name} L.`, city: 'Berlin' }),
    });
  }
  const run = await runThroughApi(api, orgId, sync.id);
  expect(run.message).toMatch(/conflicts? waits? for a person/);
  await settled(db, schema.id, sync.id);
  const { rows } = await api.conflicts.list({ orgId, syncId: sync.id, status: 'open' });
  expect(rows).toHaveLength(ids.length);
  return { sync, schema, live, conflicts: rows };
}

/**
 * Waits until a run requested through /api/v1 has ended, as a program would: by asking for it. (The
 * runner's idle() can return while a run requested during a poll is still queued for the next one.)
 */
export async function runEnded(client: ReturnType<typeof apiClient>, runId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await client.GET('/runs/{runId}', {
      params: { path: { runId }, query: { entries: 0 } },
    });
    if (data && (data.status === 'finished' || data.status === 'cancelled')) return data;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not end in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until the register edits have gone out (the push outbox is drained after its debounce) and no
 * run of the synchronisation is queued or running: a push run of those edits still on its way would
 * run beside the tests' resolutions.
 */
async function settled(db: Db, schemaId: string, syncId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const waiting = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.schemaId, schemaId));
    const active = await db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.synchronisationId, syncId), inArray(runs.status, ['queued', 'running'])));
    if (waiting.length === 0 && active.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`the synchronisation ${syncId} did not settle in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
