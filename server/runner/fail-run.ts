// An executor that threw (a bug or an outage) still leaves a finished run with a reason. Deletions
// only ever happen in the run's last steps, so a run that failed before them deleted nothing.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs } from '../db/schema';

export async function failRun(db: Db, runId: string, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  await db
    .update(runs)
    .set({
      status: 'finished',
      result: 'error',
      message: `The run stopped because of an unexpected error: ${reason}. Run it again; objects already synchronised are skipped.`,
      finishedAt: new Date(),
    })
    .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])));
}
