// object-received: syncs one object that arrived by webhook, through the same engine as a listing.
import { getDb } from '@/server/db/client';
import { notifyOutbox } from '@/server/runner/dispatch';
import { cancellable } from '@/server/runner/cancellation';
import { urlPolicy } from '@/server/runner/url-policy';
import { executeSingleObject } from '@/server/sync/run/single-object';
import { inngest } from '../client';
import { objectReceived } from '../events';
import { asStepRunner, runSyncFailed } from './run-sync';

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
    const summary = await executeSingleObject(db, runId, object, cancellable(db, runId, asStepRunner(step)), {
      urlPolicy: urlPolicy(),
      changesQueued: (change) => void notifyOutbox(db, change),
    });
    return { runId, result: summary?.result ?? 'skipped' };
  },
);
