// Cancelling a run: a person marks it cancelled; executors check before each new step and stop. A run
// whose row is gone went with its synchronisation (deleting one deletes its runs): it stops the same way.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { once } from '../db/prepared';
import { runs } from '../db/schema';
import type { StepRunner } from '../sync/ports';

export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor(readonly runId: string) {
    super(`Run ${runId} was cancelled`);
  }
}

/** Wraps a StepRunner so that no new step starts once the run has been cancelled. */
export function cancellable(db: Db, runId: string, inner: StepRunner): StepRunner {
  // Asked before every step: built once per run (db/prepared.ts).
  const status = once(() =>
    db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).prepare(),
  );
  return {
    run: (id, fn) =>
      inner.run(id, async () => {
        const [row] = await status().all();
        // Carrying on would write for a synchronisation that no longer exists, until a write hit its
        // missing rows and failed half-way through a page.
        if (!row || row.status === 'cancelled') throw new RunCancelledError(runId);
        return fn();
      }),
  };
}
