// The embedded runner: a run interrupted mid-way (the process died) is resumed where it stopped when
// a runner starts again; cron schedules request runs; a cancelled run stops before its next step.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  contractReadColumns,
  contracts,
  objects,
  ofSchema,
  ofSynchronisation,
  runEvents,
  runs,
  runSteps,
  syncStates,
} from '@/server/db/schema';
import { cancellable, RunCancelledError } from '@/server/runner/cancellation';
import { durableStep } from '@/server/runner/durable-step';
import { EmbeddedRunner, endThrownRun } from '@/server/runner/embedded';
import { cancelRun, loadRun, requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { executeToCompletion } from '@/server/sync/run/execute';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
const runners: EmbeddedRunner[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(45) });
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const newRunner = () => {
  const runner = new EmbeddedRunner(db.db, {
    urlPolicy: { allowPrivateNetworks: true },
    http: FAST_HTTP,
    pollMs: 20,
    tickMs: 50,
    log: () => {},
  });
  runners.push(runner);
  return runner;
};

async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

class Killed extends Error {}

/** A durable step runner whose process "dies" just before the given step. */
const dyingAt = (runId: string, stepId: string): StepRunner => {
  const inner = durableStep(db.db, runId);
  return { run: (id, fn) => (id === stepId ? Promise.reject(new Killed(id)) : inner.run(id, fn)) };
};

describe('embedded runner', () => {
  it('resumes an interrupted run where it stopped: every object exactly once, one contract each', async () => {
    const s = await restToRegister(db.db, peer.url);
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    await expect(
      executeToCompletion(db.db, run.id, dyingAt(run.id, 'page-3'), {
        urlPolicy: { allowPrivateNetworks: true },
        http: FAST_HTTP,
      }),
    ).rejects.toBeInstanceOf(Killed);
    expect((await loadRun(db.db, s.orgId, run.id)).status).toBe('running');
    const memo = await db.db.select().from(runSteps).where(eq(runSteps.runId, run.id));
    expect(memo.map((m) => m.stepId).sort()).toEqual(['page-1', 'page-2']);
    // When page 1 was read: a step run again would read it again and replace its timeline line.
    const page1Read = async () => {
      const [line] = await db.db
        .select({ at: runEvents.at })
        .from(runEvents)
        .where(and(eq(runEvents.runId, run.id), eq(runEvents.batchKey, 'page-1')));
      return line?.at.getTime();
    };
    const readBefore = await page1Read();
    expect(readBefore).toBeDefined();

    await newRunner().start();
    const finished = await waitFor(async () => {
      const r = await loadRun(db.db, s.orgId, run.id);
      return r.status === 'finished' && r;
    }, 'the resumed run');

    expect(finished).toMatchObject({ result: 'success', interruptions: 1, created: 45, pagesFetched: 5 });
    expect(finished.message).toMatch(/Resumed after an interruption/);
    const stored = await db.db
      .select()
      .from(objects)
      .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));
    expect(stored).toHaveLength(45);
    expect(new Set(stored.map((o) => o.data.email)).size).toBe(45);
    const rows = await db.db.select(contractReadColumns).from(contracts).where(ofSynchronisation(s.sync.id));
    expect(rows).toHaveLength(45);
    // Finished steps were not run again.
    expect(await page1Read()).toBe(readBefore);
    // The run has ended: its step memo is gone (nothing left to resume), in a moment after it finished.
    await waitFor(async () => {
      const left = await db.db.select().from(runSteps).where(eq(runSteps.runId, run.id));
      return left.length === 0;
    }, 'the step memo deleted');
  });

  it('runs a run requested while the runner starts once, not as one a stopped process left', async () => {
    // What dispatchRun does on a process's first run: start the runner and wake it straight away. A
    // poll claiming the run before the start had re-queued what an earlier process left running would
    // see the run queued again as interrupted, and a second execution claim it.
    const s = await restToRegister(db.db, peer.url);
    // A pushed batch a stopped process was writing: the start ends it first (a few statements), which
    // leaves a poll started beside it the time to claim the run below.
    const other = await restToRegister(db.db, peer.url);
    const { run: batch } = await requestRun(db.db, other.orgId, other.sync.id, { trigger: 'api' });
    await db.db
      .update(runs)
      .set({ status: 'running', cursor: { batch: { objects: 1 } } })
      .where(eq(runs.id, batch.id));
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const runner = newRunner();
    const started = runner.start();
    runner.wake();
    await started;
    const finished = await waitFor(async () => {
      const r = await loadRun(db.db, s.orgId, run.id);
      return r.status === 'finished' && r;
    }, 'the run');
    expect(finished).toMatchObject({ result: 'success', interruptions: 0, created: 45 });
    expect(finished.message).not.toMatch(/Resumed/);
    expect(await loadRun(db.db, other.orgId, batch.id)).toMatchObject({
      status: 'finished',
      result: 'error',
    });
  });

  it('requests and executes the runs of due cron schedules, then moves the next run time on', async () => {
    const s = await restToRegister(db.db, peer.url, {
      scheduleCron: '* * * * *',
      scheduleTimezone: 'Europe/Amsterdam',
    });
    const [state] = await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, s.sync.id));
    expect(state!.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    await db.db
      .update(syncStates)
      .set({ nextRunAt: new Date(Date.now() - 1000) })
      .where(eq(syncStates.synchronisationId, s.sync.id));

    await newRunner().start();
    const run = await waitFor(async () => {
      const [r] = await db.db
        .select()
        .from(runs)
        .where(and(eq(runs.synchronisationId, s.sync.id), eq(runs.status, 'finished')));
      return r;
    }, 'the scheduled run');
    expect(run).toMatchObject({ trigger: 'schedule', result: 'success', created: 45 });
    const [moved] = await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, s.sync.id));
    expect(moved!.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('stops a run cancelled mid-way before its next step, and deletes nothing', async () => {
    const s = await restToRegister(db.db, peer.url);
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const inner = cancellable(db.db, run.id, durableStep(db.db, run.id));
    // A person presses Cancel while page 2 is being processed.
    const step: StepRunner = {
      run: async (id, fn) => {
        if (id === 'page-3') await cancelRun(db.db, s.orgId, run.id);
        return inner.run(id, fn);
      },
    };
    await expect(
      executeToCompletion(db.db, run.id, step, {
        urlPolicy: { allowPrivateNetworks: true },
        http: FAST_HTTP,
      }),
    ).rejects.toBeInstanceOf(RunCancelledError);
    expect(await loadRun(db.db, s.orgId, run.id)).toMatchObject({ status: 'cancelled', deleted: 0 });
    const stored = await db.db.select().from(objects).where(ofSchema(s.schema.id));
    expect(stored).toHaveLength(20);
    // The runner ends it: nothing to resume, so its steps' memos go (pages 1 and 2 had theirs).
    const steps = () => db.db.select().from(runSteps).where(eq(runSteps.runId, run.id));
    expect((await steps()).length).toBeGreaterThan(0);
    await endThrownRun(db.db, run.id, new RunCancelledError(run.id), () => {});
    expect(await steps()).toEqual([]);
    expect(await loadRun(db.db, s.orgId, run.id)).toMatchObject({ status: 'cancelled' });
  });

  it('ends a run whose execution threw as failed, with the reason, and keeps no step of it', async () => {
    const s = await restToRegister(db.db, peer.url);
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const inner = durableStep(db.db, run.id);
    const step: StepRunner = {
      run: async (id, fn) => {
        if (id === 'page-3') throw new Error('The database went away');
        return inner.run(id, fn);
      },
    };
    const thrown = await executeToCompletion(db.db, run.id, step, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
    }).catch((error: unknown) => error);
    const logged: string[] = [];
    await endThrownRun(db.db, run.id, thrown, (line) => logged.push(line));
    expect(await loadRun(db.db, s.orgId, run.id)).toMatchObject({ status: 'finished', result: 'error' });
    expect((await loadRun(db.db, s.orgId, run.id)).message).toContain('The database went away');
    expect(logged).toEqual([expect.stringContaining('The database went away')]);
    expect(await db.db.select().from(runSteps).where(eq(runSteps.runId, run.id))).toEqual([]);
  });

  it('never starts a run that was cancelled while queued', async () => {
    const s = await restToRegister(db.db, peer.url);
    const first = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const runner = newRunner();
    await runner.start();
    await waitFor(
      async () => (await loadRun(db.db, s.orgId, first.run.id)).status === 'finished',
      'the first run',
    );
    await fetch(`${peer.url}/people/1`, { method: 'DELETE' });

    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    await cancelRun(db.db, s.orgId, run.id);
    runner.wake();
    await runner.idle();
    const cancelled = await loadRun(db.db, s.orgId, run.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', deleted: 0 });
    const live = await db.db
      .select()
      .from(objects)
      .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));
    expect(live).toHaveLength(45);
    await fetch(`${peer.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(people(1)[0]),
    });
  });
});
