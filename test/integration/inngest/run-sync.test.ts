// The run-sync Inngest function on @inngest/test, against a migrated libSQL file and json-server
// (25 people, 10 a page → 3 pages) into a register: a step per page carrying only a cursor and counts,
// a failed page attempt retried without duplicates, cancellation, and the follow-on continuation.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  contractReadColumns,
  contracts,
  objects,
  ofSchema,
  ofSynchronisation,
  runs,
} from '@/server/db/schema';
import { cancelRun, loadRun, requestRun } from '@/server/services/runs';
import type * as ExecuteModule from '@/server/sync/run/execute';
import type * as RunSyncModule from '@/inngest/functions/run-sync';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

// PAGES_PER_EXECUTION (900) cannot be reached with 3 pages: the continuation test lowers the page
// budget the shell passes to executeRun. Every other test leaves it alone.
let pageBudget: number | undefined;
vi.doMock('@/server/sync/run/execute', async (importOriginal) => {
  const actual = await importOriginal<typeof ExecuteModule>();
  const executeRun: typeof actual.executeRun = (db, runId, step, options) =>
    actual.executeRun(db, runId, step, pageBudget === undefined ? options : { ...options, pageBudget });
  return { ...actual, executeRun };
});

let db: TestDatabase;
let peer: JsonServer;
let shared: { close: () => void };
let runSyncFunction: typeof RunSyncModule.runSyncFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(25) });
  shared = await useDatabaseFile(db.file);
  ({ runSyncFunction } = await import('@/inngest/functions/run-sync'));
});
afterAll(async () => {
  shared?.close();
  await peer?.stop();
  await db?.close();
});

const PAGE_STEPS = ['page-1', 'page-2', 'page-3'];
const PERSONAL_DATA = /Person \d|@example\.test|Utrecht|Leiden/;

const requested = (data: { runId: string; syncId: string; resume?: unknown }) => ({
  name: 'sync/run.requested',
  data,
});

async function queuedRun() {
  const s = await restToRegister(db.db, peer.url);
  const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
  return { s, runId: run.id };
}

const objectsIn = (schemaId: string) => db.db.select().from(objects).where(ofSchema(schemaId));
const liveObjectsIn = (schemaId: string) =>
  db.db
    .select()
    .from(objects)
    .where(and(ofSchema(schemaId), isNull(objects.deletedAt)));
const contractsOf = (syncId: string) =>
  db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(syncId));

/** Every person exactly once in the register, with exactly one synced contract each. */
async function expectEveryPersonOnce(syncId: string, schemaId: string) {
  const stored = await liveObjectsIn(schemaId);
  expect(stored.map((o) => o.data.name).sort()).toEqual(
    people(25)
      .map((p) => p.name)
      .sort(),
  );
  expect(await objectsIn(schemaId)).toHaveLength(25);
  const rows = await contractsOf(syncId);
  expect(rows.map((c) => c.originId).sort()).toEqual(
    people(25)
      .map((p) => String(p.id))
      .sort(),
  );
  expect(rows.every((c) => c.status === 'synced' && c.targetId)).toBe(true);
  expect(new Set(rows.map((c) => c.targetId)).size).toBe(25);
}

describe('run-sync', () => {
  it('runs a step per page, each returning only a cursor and counts, then the finish steps', async () => {
    const { s, runId } = await queuedRun();
    const { engine, recorder } = recordingEngine(runSyncFunction, requested({ runId, syncId: s.sync.id }));

    const out = await engine.execute();

    // The engine's last execution replays after 'finish': its output is the run's end, not a skip.
    expect(out.error).toBeUndefined();
    expect(out.result).toEqual({ runId, outcome: 'finished' });
    expect(recorder.executed).toEqual([...PAGE_STEPS, 'deletions-plan', 'finish', 'follow-ups']);
    for (const id of PAGE_STEPS) {
      const json = JSON.stringify(recorder.results.get(id));
      expect(json, id).not.toMatch(PERSONAL_DATA);
      expect(json.length, id).toBeLessThan(2_000);
    }
    expect(recorder.results.get('page-1')).toMatchObject({
      kind: 'page',
      page: 1,
      counts: { found: 10, created: 10 },
      then: { kind: 'next', cursor: { page: 2 } },
    });
    expect(recorder.results.get('page-3')).toMatchObject({
      kind: 'page',
      page: 3,
      counts: { found: 5, created: 5 },
      then: { kind: 'end', outcome: { complete: true } },
    });
    expect(await loadRun(db.db, s.orgId, runId)).toMatchObject({
      status: 'finished',
      result: 'success',
      found: 25,
      created: 25,
      updated: 0,
      deleted: 0,
      pagesFetched: 3,
      complete: true,
    });
    await expectEveryPersonOnce(s.sync.id, s.schema.id);
  });

  it('retries a page whose attempt failed after writing, without duplicating anything', async () => {
    const { s, runId } = await queuedRun();
    const event = requested({ runId, syncId: s.sync.id });
    // First attempt: page 2 writes its objects, then the step fails (the worker died before Inngest
    // stored the step's result).
    const first = recordingEngine(runSyncFunction, event, {
      around: async (id, body) => {
        const result = await body();
        if (id === 'page-2') throw new Error('The connection dropped after page 2 was written');
        return result;
      },
    });
    const failed = await first.engine.execute();
    expect(failed.error).toMatchObject({ message: 'The connection dropped after page 2 was written' });
    expect(first.recorder.executed).toEqual(['page-1', 'page-2']);
    expect(await loadRun(db.db, s.orgId, runId)).toMatchObject({ status: 'running' });

    // Inngest retries the function run with page 1 memoised: page 2 runs again, then the rest.
    const retry = recordingEngine(runSyncFunction, event, { memo: first.recorder.results });
    const out = await retry.engine.execute();

    expect(out.error).toBeUndefined();
    expect(retry.recorder.executed).toEqual(['page-2', 'page-3', 'deletions-plan', 'finish', 'follow-ups']);
    const finished = await loadRun(db.db, s.orgId, runId);
    expect(finished).toMatchObject({
      status: 'finished',
      result: 'success',
      found: 25,
      deleted: 0,
      failed: 0,
      invalid: 0,
    });
    // The retried page finds its own contracts: those objects count as unchanged, not created twice.
    expect(finished.created + finished.skipped).toBe(25);
    await expectEveryPersonOnce(s.sync.id, s.schema.id);
    expect(await db.db.select().from(runs).where(eq(runs.synchronisationId, s.sync.id))).toHaveLength(1);
  });

  it('stops at the next step once the run is cancelled: nothing more written, nothing deleted', async () => {
    const { s, runId } = await queuedRun();
    const event = requested({ runId, syncId: s.sync.id });
    // A person presses Cancel while page 1 is done and page 2 is about to start.
    const first = recordingEngine(runSyncFunction, event, {
      around: async (id, body) => {
        if (id === 'page-2') await cancelRun(db.db, s.orgId, runId);
        return body();
      },
    });
    const stopped = await first.engine.execute();
    expect(stopped.error).toMatchObject({ message: `Run ${runId} was cancelled` });
    expect(first.recorder.executed).toEqual(['page-1', 'page-2']);

    // Whatever Inngest does next (a retry of the step), the function ends without another step.
    const again = recordingEngine(runSyncFunction, event, { memo: first.recorder.results });
    const out = await again.engine.execute();
    expect(out.error).toBeUndefined();
    expect(again.recorder.executed).toEqual([]);

    expect(await loadRun(db.db, s.orgId, runId)).toMatchObject({
      status: 'cancelled',
      result: 'warning',
      message: 'Cancelled by a person. Nothing more was written or deleted.',
      deleted: 0,
    });
    const stored = await objectsIn(s.schema.id);
    expect(stored).toHaveLength(10);
    expect(stored.every((o) => o.deletedAt === null)).toBe(true);
    const rows = await contractsOf(s.sync.id);
    expect(rows).toHaveLength(10);
    expect(rows.every((c) => c.status === 'synced')).toBe(true);
  });

  // The cancellation is noticed inside a step body: the step must fail for good, not be retried.
  it('a cancelled run fails its step with a NonRetriableError (no retry)', async () => {
    const { s, runId } = await queuedRun();
    const { engine } = recordingEngine(runSyncFunction, requested({ runId, syncId: s.sync.id }), {
      around: async (id, body) => {
        if (id === 'page-1') await cancelRun(db.db, s.orgId, runId);
        return body();
      },
    });
    const out = await engine.execute();
    expect(out.error).toMatchObject({ name: 'NonRetriableError' });
  });

  it('continues a long listing in a follow-on run carrying its cursor, logged as one run', async () => {
    const { s, runId } = await queuedRun();
    const syncId = s.sync.id;
    pageBudget = 2;
    try {
      // First function run: two pages, then a follow-on event instead of page 3.
      const first = recordingEngine(runSyncFunction, requested({ runId, syncId }), {
        mocked: { continue: () => ({ ids: ['evt_follow_on'] }) },
      });
      const out = await first.engine.execute();
      expect(out.error).toBeUndefined();
      expect(out.result).toEqual({ runId, outcome: 'continue' });
      expect(first.recorder.executed).toEqual(['page-1', 'page-2']);
      const followOn = first.recorder.sent.get('continue') as ReturnType<typeof requested>;
      expect(followOn).toMatchObject({
        name: 'sync/run.requested',
        data: {
          runId,
          syncId,
          resume: {
            from: { page: 3, objectsBefore: 20 },
            counts: { found: 20, created: 20 },
            pagesFetched: 2,
          },
        },
      });
      expect(JSON.stringify(followOn)).not.toMatch(PERSONAL_DATA);
      expect(await loadRun(db.db, s.orgId, runId)).toMatchObject({ status: 'running', created: 20 });

      // The follow-on function run picks up at page 3 and finishes the same run.
      const second = recordingEngine(runSyncFunction, { name: followOn.name, data: followOn.data });
      const done = await second.engine.execute();
      expect(done.error).toBeUndefined();
      expect(second.recorder.executed).toEqual(['page-3', 'deletions-plan', 'finish', 'follow-ups']);
      expect(second.recorder.sent.size).toBe(0);
    } finally {
      pageBudget = undefined;
    }

    const log = await db.db.select().from(runs).where(eq(runs.synchronisationId, syncId));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      id: runId,
      status: 'finished',
      result: 'success',
      found: 25,
      created: 25,
      deleted: 0,
      pagesFetched: 3,
      complete: true,
    });
    await expectEveryPersonOnce(syncId, s.schema.id);
  });
});

describe('a run Inngest gives up on', () => {
  it('ends as failed with the reason (its failure handler), and takes back what its last step left unlinked', async () => {
    const { s, runId } = await queuedRun();
    const { runSyncFailed } = await import('@/inngest/functions/run-sync');
    // Page 2's contracts are refused (a full disk): its objects are written, their contracts are not.
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_page_2 BEFORE INSERT ON contracts
        WHEN CAST(NEW.origin_id AS INTEGER) BETWEEN 11 AND 20
        BEGIN SELECT RAISE(ABORT, 'no room for the contracts'); END`),
    );
    try {
      const attempt = recordingEngine(runSyncFunction, requested({ runId, syncId: s.sync.id }));
      expect((await attempt.engine.execute()).error).toBeDefined();
      expect(await loadRun(db.db, s.orgId, runId)).toMatchObject({ status: 'running' });
      // Its retries spent, Inngest calls the failure handler with the inngest/function.failed event.
      const steps: string[] = [];
      await runSyncFailed({
        event: { data: { event: requested({ runId, syncId: s.sync.id }) } },
        error: new Error('SQLITE_CONSTRAINT: no room for the contracts'),
        step: { run: async (id, fn) => (steps.push(id), fn()) },
      });
      expect(steps).toEqual(['record-failure']);
    } finally {
      await db.db.run(sql.raw('DROP TRIGGER refuse_page_2'));
    }
    const failed = await loadRun(db.db, s.orgId, runId);
    expect(failed).toMatchObject({ status: 'finished', result: 'error' });
    expect(failed.message).toContain('no room for the contracts');
    // Page 1 stays with its contracts; page 2's unlinked objects are gone.
    expect(await db.db.select().from(objects).where(ofSchema(s.schema.id))).toHaveLength(10);

    // The synchronisation runs again, and every person is there once.
    const { run: next } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const again = recordingEngine(runSyncFunction, requested({ runId: next.id, syncId: s.sync.id }));
    expect((await again.engine.execute()).error).toBeUndefined();
    await expectEveryPersonOnce(s.sync.id, s.schema.id);
  });
});
