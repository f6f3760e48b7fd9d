// An executor that threw (a bug or an outage) still leaves a finished run with a reason. Deletions
// only ever happen in the run's last steps, so a run that failed before them deleted nothing.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs } from '../db/schema';

export async function failRun(db: Db, runId: string, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  // A RangeError (a stack overflow, a string or list too long) comes from the data and strikes again
  // at the same place: advising to run it again would only repeat it.
  const advice =
    error instanceof RangeError
      ? 'It comes from the data (too large or too deeply nested), so running it again would stop the same way.'
      : 'Run it again; objects already synchronised are skipped.';
  await db
    .update(runs)
    .set({
      status: 'finished',
      result: 'error',
      message: `The run stopped because of an unexpected error: ${reason}. ${advice}`,
      finishedAt: new Date(),
    })
    .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])));
}
