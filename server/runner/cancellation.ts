// Cancelling a run: a person marks it cancelled; executors check before each new step and stop.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs } from '../db/schema';
import type { StepRunner } from '../sync/ports';

export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor(readonly runId: string) {
    super(`Run ${runId} was cancelled`);
  }
}

export async function isCancelled(db: Db, runId: string): Promise<boolean> {
  const [row] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
  return row?.status === 'cancelled';
}

/** Wraps a StepRunner so that no new step starts once the run has been cancelled. */
export function cancellable(db: Db, runId: string, inner: StepRunner): StepRunner {
  return {
    run: (id, fn) =>
      inner.run(id, async () => {
        if (await isCancelled(db, runId)) throw new RunCancelledError(runId);
        return fn();
      }),
  };
}
