// Redelivery in scaled mode, on @inngest/test: a push run whose target is down fails (run-sync, then its
// failure handler once Inngest gives up), and the schedule tick — nothing else, no person — queues a
// `retry` run once it is due and hands it to run-sync, which delivers to json-server, back on its port.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, pushRetries, runs } from '@/server/db/schema';
import { requestRun } from '@/server/services/runs';
import type * as PushChangesModule from '@/inngest/functions/push-changes';
import type * as RunSyncModule from '@/inngest/functions/run-sync';
import type * as ScheduleTickModule from '@/inngest/functions/schedule-tick';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests, registerToRest } from '../helpers/push-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '0';
// A second and a half between attempts: the test waits that long, not a minute.
process.env.CONCORD_PUSH_RETRY_DELAYS_MS = '1500';

let db: TestDatabase;
let peer: JsonServer;
let shared: { close: () => void };
let pushChangesFunction: typeof PushChangesModule.pushChangesFunction;
let runSyncFunction: typeof RunSyncModule.runSyncFunction;
let runSyncFailed: typeof RunSyncModule.runSyncFailed;
let scheduleTickFunction: typeof ScheduleTickModule.scheduleTickFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: [] });
  shared = await useDatabaseFile(db.file);
  ({ pushChangesFunction } = await import('@/inngest/functions/push-changes'));
  ({ runSyncFunction, runSyncFailed } = await import('@/inngest/functions/run-sync'));
  ({ scheduleTickFunction } = await import('@/inngest/functions/schedule-tick'));
});
afterAll(async () => {
  shared?.close();
  await peer?.stop();
  await db?.close();
});

const requested = (data: { runId: string; syncId: string }) => ({ name: 'sync/run.requested', data });

function tick() {
  return recordingEngine(
    scheduleTickFunction,
    { name: 'inngest/scheduled.timer', data: { cron: '* * * * *' } },
    {
      mocked: {
        dispatch: () => ({ ids: ['evt_dispatched'] }),
        redispatch: () => ({ ids: ['evt_redispatched'] }),
        'dispatch-pushes': () => ({ ids: ['evt_pushed'] }),
        'dispatch-retries': () => ({ ids: ['evt_retried'] }),
      },
    },
  );
}

describe('a push the target did not take, scaled', () => {
  it(
    'is queued again by the schedule tick once due, and run-sync delivers it when the target is back',
    { timeout: 60_000 },
    async () => {
      const s = await registerToRest(db.db, peer.url);
      await peer.down();
      await s.api.registers.createObject({
        orgId: s.orgId,
        schemaId: s.schema.id,
        data: { name: 'Ivy', email: 'ivy@example.test' },
      });
      const drain = recordingEngine(
        pushChangesFunction,
        { name: 'register/changes.queued', data: { orgId: s.orgId, schemaId: s.schema.id } },
        { mocked: { 'dispatch-1': () => ({ ids: ['evt_1'] }) } },
      );
      expect((await drain.engine.execute()).error).toBeUndefined();
      const [push] = await db.db.select().from(runs).where(eq(runs.synchronisationId, s.push.id));
      expect(push).toMatchObject({ trigger: 'push', status: 'queued' });

      // The target refuses every connection: the page step throws, and Inngest, its retries spent, calls
      // the failure handler.
      const attempt = recordingEngine(runSyncFunction, requested({ runId: push!.id, syncId: s.push.id }));
      expect((await attempt.engine.execute()).error).toBeDefined();
      await runSyncFailed({
        event: { data: { event: requested({ runId: push!.id, syncId: s.push.id }) } },
        error: new Error('The target could not be reached; nothing was created.'),
        step: { run: async (_id, fn) => fn() },
      });
      expect((await s.api.runs.get({ orgId: s.orgId, runId: push!.id })).result).toBe('error');
      const waiting = (await s.api.overview.get({ orgId: s.orgId })).attention;
      expect(waiting).toContainEqual(
        expect.objectContaining({ kind: 'undelivered', count: 1, nextAttemptAt: expect.any(Date) as Date }),
      );

      // Not due yet: the tick queues nothing.
      const early = tick();
      expect((await early.engine.execute()).result).toMatchObject({ retried: 0 });

      await peer.up();
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      const due = tick();
      const ticked = await due.engine.execute();
      expect(ticked.result).toMatchObject({ retried: 1 });
      const retry = (await db.db.select().from(runs).where(eq(runs.synchronisationId, s.push.id))).find(
        (r) => r.trigger === 'retry',
      );
      expect(retry).toMatchObject({ status: 'queued' });
      expect(due.recorder.sent.get('dispatch-retries')).toEqual([
        { name: 'sync/run.requested', data: { runId: retry!.id, syncId: s.push.id } },
      ]);

      const delivery = recordingEngine(runSyncFunction, requested({ runId: retry!.id, syncId: s.push.id }));
      expect((await delivery.engine.execute()).error).toBeUndefined();
      expect(peer.read().people).toMatchObject([{ name: 'Ivy' }]);
      expect(await s.api.runs.get({ orgId: s.orgId, runId: retry!.id })).toMatchObject({
        trigger: 'retry',
        result: 'success',
        created: 1,
      });
      const contracts = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id });
      expect(contracts.rows.map((c) => c.status)).toEqual(['synced']);
      expect((await s.api.overview.get({ orgId: s.orgId })).attention).toEqual([]);

      // Delivered: later ticks queue nothing more.
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect((await tick().engine.execute()).result).toMatchObject({ retried: 0 });
      expect(countRequests(await peer.requests())).toEqual({ 'POST /people': 1 });
    },
  );

  it(
    'of a scheduled run that left an object failed (503) is queued by the tick once due and delivered',
    { timeout: 60_000 },
    async () => {
      const s = await registerToRest(db.db, peer.url);
      // Made while the synchronisation is off: the tick's sweep of the outbox queues no push for them.
      await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: false });
      for (const name of ['Jon', 'Kai'])
        await s.api.registers.createObject({
          orgId: s.orgId,
          schemaId: s.schema.id,
          data: { name, email: `${name.toLowerCase()}@example.test` },
        });
      expect((await tick().engine.execute()).result).toMatchObject({ retried: 0 });
      expect(await db.db.select().from(outbox)).toEqual([]);
      await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.push.id, enabled: true });
      await peer.faults([{ path: '/people', method: 'POST', whenBodyHas: 'Jon', status: 503 }]);

      // Its schedule's run, as the tick requests it: Kai arrives, Jon does not.
      const { run: scheduled } = await requestRun(db.db, s.orgId, s.push.id, { trigger: 'schedule' });
      const listing = recordingEngine(runSyncFunction, requested({ runId: scheduled.id, syncId: s.push.id }));
      expect((await listing.engine.execute()).error).toBeUndefined();
      const names = () => ((peer.read().people ?? []) as { name: string }[]).map((p) => p.name);
      expect(names()).not.toContain('Jon');
      expect(names()).toContain('Kai');
      const waiting = await db.db
        .select()
        .from(pushRetries)
        .where(eq(pushRetries.synchronisationId, s.push.id));
      expect(waiting).toMatchObject([{ runId: scheduled.id, attempts: 1 }]);
      expect((await tick().engine.execute()).result).toMatchObject({ retried: 0 });

      await peer.clearFaults();
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      const due = tick();
      expect((await due.engine.execute()).result).toMatchObject({ retried: 1 });
      const retry = (await db.db.select().from(runs).where(eq(runs.synchronisationId, s.push.id))).find(
        (r) => r.trigger === 'retry',
      );
      const delivery = recordingEngine(runSyncFunction, requested({ runId: retry!.id, syncId: s.push.id }));
      expect((await delivery.engine.execute()).error).toBeUndefined();
      expect(names()).toContain('Jon');
      expect(await s.api.runs.get({ orgId: s.orgId, runId: retry!.id })).toMatchObject({
        trigger: 'retry',
        result: 'success',
        created: 1,
      });
      const contracts = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id });
      expect(contracts.rows.map((c) => c.status)).toEqual(['synced', 'synced']);
      const overview = await s.api.overview.get({ orgId: s.orgId });
      expect(overview.synchronisations.find((x) => x.id === s.push.id)).toMatchObject({
        undelivered: 0,
        nextAttemptAt: null,
      });
      expect(
        await db.db.select().from(pushRetries).where(eq(pushRetries.synchronisationId, s.push.id)),
      ).toEqual([]);
    },
  );
});
