// The embedded runner's step memo: a step id that finished for a run returns its stored result and
// never runs again, so a run resumed after the process died continues where it stopped. Steps carry
// cursors and counts only, so the stored results stay small.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { once } from '../db/prepared';
import { runSteps } from '../db/schema';
import type { StepRunner } from '../sync/ports';

export function durableStep(db: Db, runId: string): StepRunner {
  // Built once per run and reused for each of its steps (db/prepared.ts).
  const queries = once(() => ({
    done: db
      .select({ output: runSteps.output })
      .from(runSteps)
      .where(and(eq(runSteps.runId, runId), eq(runSteps.stepId, sql.placeholder('stepId'))))
      .prepare(),
    record: db
      .insert(runSteps)
      .values({
        runId,
        stepId: sql.placeholder('stepId'),
        output: sql.placeholder('output'),
        finishedAt: sql.placeholder('finishedAt'),
      })
      .onConflictDoNothing()
      .prepare(),
  }));
  return {
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const [done] = await queries().done.all({ stepId: id });
      if (done) return done.output as T;
      // Round-trip through JSON so a fresh result and a replayed one look the same to the caller.
      const output = JSON.parse(JSON.stringify((await fn()) ?? null)) as T;
      await queries().record.run({ stepId: id, output, finishedAt: new Date() });
      return output;
    },
  };
}

/**
 * Deletes a run's step memos once the run has ended: an ended run never replays a step (executeRun
 * answers 'ended' before any), and its memos — a few kilobytes a page, the listing's cursor among them —
 * would take room until retention removed the run (about 4 MB for a run of 1,000 pages).
 */
export async function forgetSteps(db: Db, runId: string): Promise<void> {
  await db.delete(runSteps).where(eq(runSteps.runId, runId));
}
