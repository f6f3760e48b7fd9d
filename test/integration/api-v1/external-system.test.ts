// Plays an external system integrating through /api/v1 (seed 003): it pushes 10,000 objects in batches
// through a synchronisation into a register schema, pulls the change feed from its cursor and gets each
// change once, in order; then changes arrive again from its cursor only, and the pushed objects fan out
// to a push subscriber (a REST system, json-server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, isNotNull } from 'drizzle-orm';
import { contracts, contractVersions, outbox } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { PEOPLE_TARGET } from '../helpers/push-setup';
import { people, restToRegister } from '../helpers/sync-setup';
import { apiClient, useDatabase } from './client';

// Changes go out soon after they settle.
process.env.CONCORD_PUSH_DEBOUNCE_MS = '200';

const TOTAL = 10_000;
const BATCH = 1_000;

let db: TestDatabase;
let origin: JsonServer;
let subscriber: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  embeddedRunnerFor(db.db);
  [origin, subscriber] = await Promise.all([
    startJsonServer({ people: [] }),
    startJsonServer({ people: [] }),
  ]);
  s = await restToRegister(db.db, origin.url);
  api = apiClient(
    (await s.api.apiKeys.create({ orgId: s.orgId, name: 'ETL', scopes: ['read', 'write'] })).key,
  );
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await Promise.all([origin.stop(), subscriber.stop()]);
  await db.close();
});

type Change = { objectId: string; op: 'upsert' | 'delete'; object: { data: Record<string, unknown> } | null };

async function pullAll(schemaId: string, from: string) {
  const changes: Change[] = [];
  let cursor = from;
  for (;;) {
    const { data } = await api.GET('/schemas/{schemaId}/changes', {
      params: { path: { schemaId }, query: { cursor, limit: 1000 } },
    });
    changes.push(...(data!.changes as Change[]));
    cursor = data!.cursor;
    if (!data!.hasMore) return { changes, cursor };
  }
}

const push = (objects: Record<string, unknown>[]) =>
  api.POST('/synchronisations/{syncId}/objects', {
    params: { path: { syncId: s.sync.id } },
    body: { objects },
  });

describe('an external system', () => {
  let cursor: string;

  it('pushes 10,000 objects in batches and pulls each change once, in order, from its cursor', async () => {
    const start = await api.GET('/schemas/{schemaId}/changes', {
      params: { path: { schemaId: s.schema.id } },
    });
    expect(start.data!.changes).toEqual([]);
    const all = people(TOTAL);
    for (let i = 0; i < TOTAL; i += BATCH) {
      const { data, response } = await push(all.slice(i, i + BATCH));
      expect(response.status).toBe(200);
      expect(data!.counts).toMatchObject({ created: BATCH, invalid: 0, failed: 0 });
      expect(data!.results.every((r) => r.outcome === 'written' && r.objectId)).toBe(true);
      expect(data!.results[0]!.originId).toBe(String(i + 1));
      if (i === 0) {
        // The batch's run has a log like any other: its timeline says what came in.
        const timeline = await s.api.runs.timeline({ orgId: s.orgId, runId: data!.runId, pageSize: 10 });
        expect(timeline.rows.map((e) => [e.kind, e.objects, e.detail])).toEqual([
          ['page', BATCH, `${BATCH} objects pushed through the API.`],
        ]);
      }
    }
    const pulled = await pullAll(s.schema.id, start.data!.cursor);
    cursor = pulled.cursor;
    expect(pulled.changes).toHaveLength(TOTAL);
    expect(new Set(pulled.changes.map((c) => c.objectId)).size).toBe(TOTAL);
    // In the order they were written: person 1 first, person 10,000 last.
    expect(pulled.changes.map((c) => c.object!.data.name)).toEqual(all.map((p) => p.name));
    expect(pulled.changes.every((c) => c.op === 'upsert')).toBe(true);
    // Each pushed object's contract is its first version, naming the run it arrived in, like one a
    // synchronisation run created (migration 0051: no version row until the object changes).
    const created = await db.db
      .select({ n: count() })
      .from(contracts)
      .where(isNotNull(contracts.createdRunSeq));
    expect(created[0]!.n).toBe(TOTAL);
    const versions = await db.db.select({ n: count() }).from(contractVersions);
    expect(versions[0]!.n).toBe(0);
  }, 300_000);

  it('gets only what changed after its cursor; a repeated batch changes nothing', async () => {
    const again = await push(people(3));
    expect(again.data!.counts).toMatchObject({ skipped: 3, created: 0, updated: 0 });
    expect((await pullAll(s.schema.id, cursor)).changes).toEqual([]);
  });

  it('fans the pushed objects out to a push subscriber', async () => {
    // Everything pushed so far has been through the outbox.
    await expect.poll(async () => (await db.db.select().from(outbox)).length, { timeout: 60_000 }).toBe(0);
    await embeddedRunnerFor(db.db).idle();
    const registerSource = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Directory',
      type: 'register',
      config: { registerId: s.register.id, schemaId: s.schema.id },
    });
    const target = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Subscriber',
      type: 'rest',
      config: { baseUrl: subscriber.url },
    });
    await s.api.synchronisations.create({
      orgId: s.orgId,
      name: 'Directory to the subscriber',
      sourceId: registerSource.id,
      targetType: 'source',
      targetSourceId: target.id,
      targetConfig: PEOPLE_TARGET,
    });
    const changed = people(2).map((p) => ({ ...p, name: `${p.name} (moved)` }));
    const fresh = people(1, TOTAL + 1);
    const { data } = await push([...changed, ...fresh]);
    expect(data!.counts).toMatchObject({ updated: 2, created: 1 });
    // Each change once; in the order Concord wrote them (the engine writes creates before updates).
    const feed = await pullAll(s.schema.id, cursor);
    const names = ['Person 1 (moved)', 'Person 2 (moved)', `Person ${TOTAL + 1}`];
    expect(feed.changes.map((c) => c.object!.data.name).sort()).toEqual(names.sort());
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${subscriber.url}/people`)).json()) as { name: string }[])
            .map((p) => p.name)
            .sort(),
        {
          timeout: 30_000,
        },
      )
      .toEqual(['Person 1 (moved)', 'Person 2 (moved)', `Person ${TOTAL + 1}`].sort());
  }, 120_000);
});
