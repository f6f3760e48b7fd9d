// Scaled mode: a pushed batch whose process died leaves its run `running`, and no instance starts after
// it to end it (the embedded runner does at start). Its run beats while its request writes it; the
// schedule tick (here on @inngest/test) ends the batches no process beats any more, so the next push is
// accepted — and never a batch another instance is still writing, however long it takes.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runs } from '@/server/db/schema';
import type * as ScheduleTickModule from '@/inngest/functions/schedule-tick';
import { EmbeddedRunner } from '@/server/runner/embedded';
import * as heartbeat from '@/server/sync/run/batch-heartbeat';
import { INTERRUPTED_BATCH, pushedBatchCursor } from '@/server/sync/run/pushed-batch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { restToRegister } from '../helpers/sync-setup';
import { recordingEngine, useDatabaseFile } from '../inngest/helpers';
import { apiClient, useDatabase } from './client';

// Which runs the pushes beat (the real function, watched).
vi.mock('@/server/sync/run/batch-heartbeat', async (importOriginal) => {
  const real = await importOriginal<typeof heartbeat>();
  return { ...real, whileBatchBeats: vi.fn(real.whileBatchBeats) };
});

let db: TestDatabase;
let shared: { close: () => void };
let scheduleTickFunction: typeof ScheduleTickModule.scheduleTickFunction;
let s: Awaited<ReturnType<typeof restToRegister>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  shared = await useDatabaseFile(db.file);
  await useDatabase(db);
  ({ scheduleTickFunction } = await import('@/inngest/functions/schedule-tick'));
  // No request is made to the source: objects are pushed.
  s = await restToRegister(db.db, 'http://127.0.0.1:9');
  api = apiClient(
    (await s.api.apiKeys.create({ orgId: s.orgId, name: 'ETL', scopes: ['read', 'write'] })).key,
  );
});
afterAll(async () => {
  shared?.close();
  await db?.close();
});

const person = (id: number, name: string) => ({ id, name, email: `${name}@example.test` });
const push = (objects: Record<string, unknown>[]) =>
  api.POST('/synchronisations/{syncId}/objects', {
    params: { path: { syncId: s.sync.id } },
    body: { objects },
  });
const runOf = async (runId: string) => (await db.db.select().from(runs).where(eq(runs.id, runId)))[0]!;

/** A batch's run as a process leaves it: running, last touched `agoMs` ago. */
async function batchRun(agoMs: number) {
  const at = new Date(Date.now() - agoMs);
  const [run] = await db.db
    .insert(runs)
    .values({
      orgId: s.orgId,
      synchronisationId: s.sync.id,
      trigger: 'api',
      status: 'running',
      startedAt: at,
      createdAt: at,
      updatedAt: at,
      cursor: pushedBatchCursor(2),
    })
    .returning();
  return run!;
}

async function tick() {
  const { engine } = recordingEngine(scheduleTickFunction, {
    name: 'inngest/scheduled.timer',
    data: { cron: '* * * * *' },
  });
  const out = await engine.execute();
  expect(out.error).toBeUndefined();
  return out.result as { batchesEnded: number };
}

describe('a pushed batch, scaled', () => {
  it('beats while its request writes it', async () => {
    vi.mocked(heartbeat.whileBatchBeats).mockClear();
    const pushed = await push([person(1, 'ann')]);
    expect(pushed.response.status).toBe(200);
    const runId = pushed.data!.runId;
    expect(vi.mocked(heartbeat.whileBatchBeats)).toHaveBeenCalledWith(
      expect.anything(),
      runId,
      expect.any(Function),
    );
  });

  it('whose process died is ended by the tick, and the next push is accepted', async () => {
    const dead = await batchRun(heartbeat.ABANDONED_AFTER_MS + 60_000);
    // The fault: every push is refused while the dead batch's run looks active.
    const refused = await push([person(2, 'bob')]);
    expect(refused.response.status).toBe(409);

    expect((await tick()).batchesEnded).toBe(1);
    expect(await runOf(dead.id)).toMatchObject({
      status: 'finished',
      result: 'error',
      message: INTERRUPTED_BATCH,
    });
    const next = await push([person(2, 'bob')]);
    expect(next.response.status).toBe(200);
    expect(next.data!.counts).toMatchObject({ created: 1 });
  });

  it('of another instance that still beats is left running, however long it started ago', async () => {
    const live = await batchRun(0);
    await db.db
      .update(runs)
      .set({ startedAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(runs.id, live.id));
    expect((await tick()).batchesEnded).toBe(0);
    expect((await runOf(live.id)).status).toBe('running');
    await db.db.update(runs).set({ status: 'finished', result: 'error' }).where(eq(runs.id, live.id));
  });

  it('that takes long keeps beating, so a sweep meanwhile leaves it', async () => {
    const long = await batchRun(heartbeat.ABANDONED_AFTER_MS + 60_000);
    // Beats every 20 ms for 300 ms; a sweep then ends what was not touched in the last 150 ms.
    const ended = await heartbeat.whileBatchBeats(
      db.db,
      long.id,
      async () => {
        await new Promise((r) => setTimeout(r, 300));
        return heartbeat.endAbandonedBatches(db.db, 150);
      },
      20,
    );
    expect(ended).toBe(0);
    expect((await runOf(long.id)).status).toBe('running');
    // Once its process stops beating, it is ended.
    await new Promise((r) => setTimeout(r, 200));
    expect(await heartbeat.endAbandonedBatches(db.db, 150)).toBe(1);
    expect(await runOf(long.id)).toMatchObject({ status: 'finished', message: INTERRUPTED_BATCH });
  });

  it("is swept by the embedded runner's tick too", async () => {
    const runner = new EmbeddedRunner(db.db, {
      urlPolicy: { allowPrivateNetworks: true },
      pollMs: 20,
      tickMs: 30,
      log: () => {},
    });
    await runner.start();
    try {
      // Left after the runner started, so its recovery at start did not see it.
      const dead = await batchRun(heartbeat.ABANDONED_AFTER_MS + 60_000);
      for (let i = 0; i < 200 && (await runOf(dead.id)).status === 'running'; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await runOf(dead.id)).toMatchObject({ status: 'finished', message: INTERRUPTED_BATCH });
    } finally {
      await runner.stop();
    }
  });
});
