// The schedule-tick Inngest cron function on @inngest/test: synchronisations whose cron schedule is due
// get a queued run (trigger 'schedule') handed to run-sync by event; their next run moves on; disabled
// ones and ones already running are left alone.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, syncStates } from '@/server/db/schema';
import { requestRun } from '@/server/services/runs';
import type * as ScheduleTickModule from '@/inngest/functions/schedule-tick';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { restToRegister } from '../helpers/sync-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

let db: TestDatabase;
let shared: { close: () => void };
let scheduleTickFunction: typeof ScheduleTickModule.scheduleTickFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  shared = await useDatabaseFile(db.file);
  ({ scheduleTickFunction } = await import('@/inngest/functions/schedule-tick'));
});
afterAll(async () => {
  shared?.close();
  await db?.close();
});

// No request is made to the source: the tick only queues runs. An address nothing listens on will do.
const UNUSED_SOURCE = 'http://127.0.0.1:9';
const CRON_EVENT = { name: 'inngest/scheduled.timer', data: { cron: '* * * * *' } };

const everyMinute = () => restToRegister(db.db, UNUSED_SOURCE, { scheduleCron: '* * * * *' });

async function dueSince(syncId: string, ms: number) {
  await db.db
    .update(syncStates)
    .set({ nextRunAt: new Date(Date.now() - ms) })
    .where(eq(syncStates.synchronisationId, syncId));
}
const nextRunOf = async (syncId: string) =>
  (await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, syncId)))[0]?.nextRunAt;
const runsOf = (syncId: string) => db.db.select().from(runs).where(eq(runs.synchronisationId, syncId));

function tick() {
  return recordingEngine(scheduleTickFunction, CRON_EVENT, {
    mocked: {
      dispatch: () => ({ ids: ['evt_dispatched'] }),
      redispatch: () => ({ ids: ['evt_redispatched'] }),
      'dispatch-pushes': () => ({ ids: ['evt_pushed'] }),
    },
  });
}

describe('schedule-tick', () => {
  it('requests the runs that are due and hands them to run-sync; skips disabled and busy ones', async () => {
    const due = await everyMinute();
    const disabled = await everyMinute();
    const busy = await everyMinute();
    await disabled.api.synchronisations.setEnabled({
      orgId: disabled.orgId,
      syncId: disabled.sync.id,
      enabled: false,
    });
    const { run: alreadyQueued } = await requestRun(db.db, busy.orgId, busy.sync.id, { trigger: 'manual' });
    for (const s of [due, disabled, busy]) await dueSince(s.sync.id, 5 * 60_000);

    const { engine, recorder } = tick();
    const before = Date.now();
    const out = await engine.execute();

    expect(out.error).toBeUndefined();
    expect(out.result).toEqual({
      requested: 1,
      redispatched: 0,
      batchesEnded: 0,
      pushed: 0,
      retried: 0,
      webhooksAttempted: 0,
      removed: 0,
      signInFailuresForgotten: 0,
      sourceCopiesCompacted: 0,
      sourceObjectsMoved: 0,
    });
    expect(recorder.executed).toEqual([
      'request-due-runs',
      'stale-queued-runs',
      'abandoned-batches',
      'push-outbox',
      'push-retries',
      'webhook-deliveries',
      'retention',
    ]);

    const [scheduled, ...others] = await runsOf(due.sync.id);
    expect(others).toEqual([]);
    expect(scheduled).toMatchObject({ trigger: 'schedule', status: 'queued', test: false, force: false });
    expect(recorder.sent.get('dispatch')).toEqual([
      { name: 'sync/run.requested', data: { runId: scheduled!.id, syncId: due.sync.id } },
    ]);

    // The due schedule moves into the future; it ran once, not once per missed minute.
    const next = await nextRunOf(due.sync.id);
    expect(next!.getTime()).toBeGreaterThan(before);
    expect(next!.getTime()).toBeLessThanOrEqual(before + 61_000);

    // A disabled synchronisation is not requested, even with a stale next run time.
    expect(await runsOf(disabled.sync.id)).toEqual([]);
    // One run per synchronisation at a time: the queued run stays the only one, no event is sent for it.
    expect((await runsOf(busy.sync.id)).map((r) => r.id)).toEqual([alreadyQueued.id]);
  });

  // 'request-due-runs' queues runs and moves next_run_at in the database before its result is stored.
  // When that attempt fails afterwards, the retry finds nothing due: the run it queued would wait with
  // no executor. A later tick sends runs that stayed queued too long again.
  it('a tick retried after its request step failed still hands over the run it queued', async () => {
    const s = await everyMinute();
    await dueSince(s.sync.id, 60_000);
    const first = recordingEngine(scheduleTickFunction, CRON_EVENT, {
      mocked: { dispatch: () => ({ ids: ['evt_dispatched'] }) },
      around: async (id, body) => {
        const result = await body();
        if (id === 'request-due-runs') throw new Error('The worker timed out');
        return result;
      },
    });
    expect((await first.engine.execute()).error).toBeDefined();

    const [queued] = await runsOf(s.sync.id);
    expect(queued).toMatchObject({ trigger: 'schedule', status: 'queued' });
    // Minutes later, the run is still queued: the next tick hands it over again.
    await db.db
      .update(runs)
      .set({ createdAt: new Date(Date.now() - 3 * 60_000) })
      .where(eq(runs.id, queued!.id));
    const retry = tick();
    await retry.engine.execute();
    expect(retry.recorder.sent.get('redispatch')).toEqual([
      { name: 'sync/run.requested', data: { runId: queued!.id, syncId: s.sync.id } },
    ]);
  });

  it('requests nothing when no schedule is due', async () => {
    const s = await everyMinute();
    const next = await nextRunOf(s.sync.id);
    expect(next!.getTime()).toBeGreaterThan(Date.now());

    const { engine, recorder } = tick();
    const out = await engine.execute();

    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({ requested: 0 });
    expect(recorder.sent.get('dispatch')).toBeUndefined();
    expect(await runsOf(s.sync.id)).toEqual([]);
    expect(await nextRunOf(s.sync.id)).toEqual(next);
  });
});
