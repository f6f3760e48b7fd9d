// object-received: syncs one object that arrived by webhook, through the same engine as a listing.
import { getDb } from '@/server/db/client';
import { notifyOutbox } from '@/server/runner/dispatch';
import { forgetSteps } from '@/server/runner/durable-step';
import { urlPolicy } from '@/server/runner/url-policy';
import { executeSingleObject } from '@/server/sync/run/single-object';
import { inngest } from '../client';
import { objectReceived } from '../events';
import { inngestSteps, runSyncFailed } from './run-sync';

export const objectReceivedFunction = inngest.createFunction(
  {
    id: 'object-received',
    triggers: [objectReceived],
    concurrency: [{ key: 'event.data.syncId', limit: 1 }],
    retries: 4,
    // Given up on: the run ends as failed (run-sync.ts says why), never left running.
    onFailure: runSyncFailed,
  },
  async ({ event, step }) => {
    const db = getDb();
    const { runId, object } = event.data;
    const summary = await executeSingleObject(db, runId, object, inngestSteps(step, db, runId), {
      urlPolicy: urlPolicy(),
      changesQueued: (change) => void notifyOutbox(db, change),
    });
    // Reached once its last step is done: the run has ended and its step memo is not read again.
    await forgetSteps(db, runId);
    return { runId, result: summary?.result ?? 'skipped' };
  },
);
