// push-changes: turns the push outbox's settled register changes into push runs and hands them to
// run-sync — the same drainOutbox as the embedded runner. Started (debounced) by the event sent after a
// change is queued; the schedule tick sweeps the outbox every minute too, so a lost event loses nothing.
import { getDb } from '@/server/db/client';
import { env } from '@/server/env';
import { drainOutbox, pushTimingOf } from '@/server/runner/outbox-drain';
import { inngest } from '../client';
import { changesQueued, runRequested } from '../events';

/** Rounds of one execution: drain, then wait for the next change to settle, and drain again. */
const MAX_ROUNDS = 20;

export const pushChangesFunction = inngest.createFunction(
  {
    id: 'push-changes',
    triggers: [changesQueued],
    debounce: { period: '1s', timeout: '10s' },
    retries: 4,
  },
  async ({ step }) => {
    const timing = pushTimingOf(env().CONCORD_PUSH_DEBOUNCE_MS);
    let queued = 0;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const drained = await step.run(`drain-${round}`, () => drainOutbox(getDb(), timing));
      if (drained.runs.length > 0) {
        await step.sendEvent(
          `dispatch-${round}`,
          drained.runs.map((run) => runRequested.create({ runId: run.id, syncId: run.synchronisationId })),
        );
        queued += drained.runs.length;
      }
      if (drained.taken > 0) continue;
      if (drained.nextDueAt === null) break;
      await step.sleepUntil(`settle-${round}`, new Date(drained.nextDueAt));
    }
    return { queued };
  },
);
