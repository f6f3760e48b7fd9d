// The answer to a pushed batch (POST /api/v1/synchronisations/{id}/objects), read as a client reads it:
// each index its own outcome, also when an id comes twice (the first object goes through, the repeat is
// invalid), adding up to the counts and agreeing with the run's log; a batch partly refused is a warning
// like any run (an error only when nothing got through), and so is the synchronisation's health and what
// the organisation is told; an unchanged object is skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { notifications, syncStates } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRegister } from '../helpers/sync-setup';
import { apiClient, useDatabase } from './client';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: [] });
  s = await restToRegister(db.db, peer.url);
  api = apiClient(
    (await s.api.apiKeys.create({ orgId: s.orgId, name: 'ETL', scopes: ['read', 'write'] })).key,
  );
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const person = (id: number | undefined, name: string) => ({
  ...(id === undefined ? {} : { id }),
  name,
  email: `${name}@example.test`,
});

async function push(objects: Record<string, unknown>[], test = false) {
  const { data, response } = await api.POST('/synchronisations/{syncId}/objects', {
    params: { path: { syncId: s.sync.id } },
    body: { objects, test },
  });
  expect(response.status).toBe(200);
  return data!;
}

const invalidEntries = async (runId: string) =>
  (await api.GET('/runs/{runId}/entries', { params: { path: { runId }, query: { action: 'invalid' } } }))
    .data!;

/** What the organisation keeps of the synchronisation's last real run, and the run.failed notices. */
async function health(runId: string) {
  const [state] = await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, s.sync.id));
  const failed = await db.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.runId, runId), eq(notifications.event, 'run.failed')));
  return { lastRunId: state?.lastRunId, lastResult: state?.lastResult, failedNotices: failed.length };
}

describe('the answer to a pushed batch', () => {
  it('gives each index its own outcome when an id comes twice: the first is written, the repeat invalid', async () => {
    const answer = await push([person(20, 'first'), person(20, 'second'), person(21, 'ok')]);
    expect(answer.result).toBe('warning');
    expect(answer.counts).toMatchObject({ found: 3, created: 2, invalid: 1, failed: 0 });
    expect(answer.message).toBe(
      '3 objects pushed through the API: 2 created, 0 updated, 0 unchanged, 1 refused (see the entries).',
    );
    expect(answer.results.map((r) => [r.index, r.originId, r.outcome])).toEqual([
      [0, '20', 'written'],
      [1, '20', 'invalid'],
      [2, '21', 'written'],
    ]);
    const [first, repeat, other] = answer.results;
    expect(first!.reason).toBeNull();
    expect(repeat!.reason).toMatch(/^Duplicate id "20"/);
    // The repeat was not written: it is no register object (the one of id 20 is the first's).
    expect(repeat!.objectId).toBeNull();
    expect(other!.objectId).toMatch(/^obj_/);
    // Index 0 is in the register with its own data, not the repeat's.
    const stored = await api.GET('/objects/{objectId}', { params: { path: { objectId: first!.objectId! } } });
    expect(stored.data!.data).toMatchObject({ name: 'first', email: 'first@example.test' });
    const contracts = await api.GET('/contracts', { params: { query: { syncId: s.sync.id, search: '20' } } });
    expect(contracts.data!.items.map((c) => [c.originId, c.status, c.lastAction, c.targetId])).toEqual([
      ['20', 'synced', 'create', first!.objectId],
    ]);
    // The answers add up to the counts, and the log has the one invalid entry the answer has.
    expect(answer.results.filter((r) => r.outcome === 'written')).toHaveLength(answer.counts.created!);
    const entries = await invalidEntries(answer.runId);
    expect(entries.items.map((e) => [e.originId, e.reason])).toEqual([['20', repeat!.reason]]);
  });

  it('calls a batch partly refused a warning, as any run, and tells no one it failed', async () => {
    const answer = await push([person(30, 'thirty'), { name: 'noid', email: 'noid@example.test' }]);
    expect(answer.result).toBe('warning');
    expect(answer.counts).toMatchObject({ created: 1, invalid: 1 });
    expect(answer.results.map((r) => [r.originId, r.outcome])).toEqual([
      ['30', 'written'],
      [null, 'invalid'],
    ]);
    expect(answer.results[1]!.reason).toMatch(/position 2 .*has no usable id: it has no "id" field/);
    const run = await api.GET('/runs/{runId}', { params: { path: { runId: answer.runId } } });
    expect(run.data).toMatchObject({ result: 'warning', message: answer.message });
    expect(await health(answer.runId)).toEqual({
      lastRunId: answer.runId,
      lastResult: 'warning',
      failedNotices: 0,
    });
  });

  it('calls a batch of which not a single object got through an error', async () => {
    // No id, and a name the person schema refuses.
    const answer = await push([{ name: 'noid', email: 'noid@example.test' }, person(31, '')]);
    expect(answer.result).toBe('error');
    expect(answer.counts).toMatchObject({ created: 0, invalid: 2 });
    expect(answer.results.map((r) => r.outcome)).toEqual(['invalid', 'invalid']);
    expect(await health(answer.runId)).toEqual({
      lastRunId: answer.runId,
      lastResult: 'error',
      failedNotices: 1,
    });
  });

  it('answers skipped for an unchanged object, with the register object it still is', async () => {
    const created = await push([person(40, 'forty')]);
    expect(created.result).toBe('success');
    expect(created.results[0]).toMatchObject({ outcome: 'written', reason: null });
    const again = await push([person(40, 'forty')]);
    expect(again.result).toBe('success');
    expect(again.counts).toMatchObject({ created: 0, updated: 0, skipped: 1 });
    expect(again.message).toBe('1 object pushed through the API: 0 created, 0 updated, 1 unchanged.');
    expect(again.results).toEqual([
      {
        index: 0,
        originId: '40',
        outcome: 'skipped',
        objectId: created.results[0]!.objectId,
        reason: expect.stringMatching(/^Unchanged/),
      },
    ]);
    // Changed, it is written again.
    const changed = await push([person(40, 'forty-one')]);
    expect(changed.counts).toMatchObject({ updated: 1 });
    expect(changed.results[0]).toMatchObject({ outcome: 'written', objectId: created.results[0]!.objectId });
  });

  it('writes nothing in a test run, and says what a real one would do', async () => {
    const answer = await push([person(50, 'fifty')], true);
    expect(answer.message).toMatch(
      /^Dry run, nothing was written: 1 object pushed through the API: 1 created/,
    );
    expect(answer.results[0]).toMatchObject({
      outcome: 'skipped',
      objectId: null,
      reason: 'Test run: it would be created; nothing was written.',
    });
  });
});
