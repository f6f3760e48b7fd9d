// schedule-tick: every minute, requests the runs of synchronisations whose cron schedule is due and
// hands them to run-sync; ends the pushed batches whose process died (no instance starts after it to do
// so: sync/run/batch-heartbeat.ts); sweeps the push outbox (push-changes does it at once, but its event
// may be lost); queues the retries of pushes that did not get through once they are due
// (runner/push-retries.ts); sends the notification webhooks that are due (first tries and retries);
// also applies log retention.
import { cron } from 'inngest';
import { getDb } from '@/server/db/client';
import { env } from '@/server/env';
import { drainOutbox, pushTimingOf } from '@/server/runner/outbox-drain';
import { applyRetention } from '@/server/runner/retention';
import { urlPolicy } from '@/server/runner/url-policy';
import { deliverDue } from '@/server/services/notifications/deliver';
import { requestDueRetries } from '@/server/runner/push-retries';
import { requestDueRuns, staleQueuedRuns } from '@/server/runner/schedules';
import { endAbandonedBatches } from '@/server/sync/run/batch-heartbeat';
import { runs } from '@/server/db/schema';
import { inArray } from 'drizzle-orm';
import { inngest } from '../client';
import { runRequested } from '../events';

export const scheduleTickFunction = inngest.createFunction(
  { id: 'schedule-tick', triggers: [cron('* * * * *')], concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const requested = await step.run('request-due-runs', async () => {
      const db = getDb();
      const ids = await requestDueRuns(db);
      if (ids.length === 0) return [];
      return db
        .select({ runId: runs.id, syncId: runs.synchronisationId })
        .from(runs)
        .where(inArray(runs.id, ids));
    });
    if (requested.length) {
      await step.sendEvent(
        'dispatch',
        requested.map((r) => runRequested.create(r)),
      );
    }
    // A tick retried after creating its runs finds nothing due: those runs are picked up here.
    const stale = await step.run('stale-queued-runs', () => staleQueuedRuns(getDb()));
    if (stale.length)
      await step.sendEvent(
        'redispatch',
        stale.map((r) => runRequested.create(r)),
      );
    const batchesEnded = await step.run('abandoned-batches', () => endAbandonedBatches(getDb()));
    const pushed = await step.run('push-outbox', async () => {
      const drained = await drainOutbox(getDb(), pushTimingOf(env().CONCORD_PUSH_DEBOUNCE_MS));
      return drained.runs.map((r) => ({ runId: r.id, syncId: r.synchronisationId }));
    });
    if (pushed.length)
      await step.sendEvent(
        'dispatch-pushes',
        pushed.map((r) => runRequested.create(r)),
      );
    // Changes a push could not deliver, tried again when due (server/runner/push-retries.ts).
    const retried = await step.run('push-retries', async () => {
      const due = await requestDueRetries(getDb(), env().CONCORD_PUSH_RETRY_DELAYS_MS);
      return due.runs.map((r) => ({ runId: r.id, syncId: r.synchronisationId }));
    });
    if (retried.length)
      await step.sendEvent(
        'dispatch-retries',
        retried.map((r) => runRequested.create(r)),
      );
    const webhooks = await step.run('webhook-deliveries', async () => {
      const sent = await deliverDue(getDb(), { urlPolicy: urlPolicy(), limit: 100 });
      return { attempted: sent.attempted, delivered: sent.delivered };
    });
    const retention = await step.run('retention', () => applyRetention(getDb()));
    return {
      requested: requested.length,
      redispatched: stale.length,
      batchesEnded,
      pushed: pushed.length,
      retried: retried.length,
      webhooksAttempted: webhooks.attempted,
      removed: retention.runs,
      signInFailuresForgotten: retention.signInFailures,
      sourceCopiesCompacted: retention.sourceCopies,
      sourceObjectsMoved: retention.sourceObjectsMoved,
    };
  },
);
