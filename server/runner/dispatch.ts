// Hands a queued run to the executor of this deployment. Until the durable embedded runner exists,
// embedded mode executes the run in this process in the background.
import { and, eq, inArray } from 'drizzle-orm';
import { getDb } from '../db/client';
import type { Db } from '../db/client';
import { runs } from '../db/schema';
import { env } from '../env';
import { executeToCompletion } from '../sync/run/execute';
import { memoryStep } from '../sync/run/steps';

export const urlPolicy = () => ({ allowPrivateNetworks: env().CONCORD_ALLOW_PRIVATE_URLS });

/** An executor that threw (a bug or an outage) still leaves a finished run with a reason, deleting nothing. */
export async function failRun(db: Db, runId: string, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  await db
    .update(runs)
    .set({
      status: 'finished',
      result: 'error',
      message: `The run stopped because of an unexpected error: ${reason}. Nothing was deleted; run it again.`,
      finishedAt: new Date(),
    })
    .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])));
}

export function dispatchRun(runId: string, db: Db = getDb()): void {
  void executeToCompletion(db, runId, memoryStep(), { urlPolicy: urlPolicy() }).catch(
    async (error: unknown) => {
      console.error(`Run ${runId} failed:`, error);
      await failRun(db, runId, error);
    },
  );
}
