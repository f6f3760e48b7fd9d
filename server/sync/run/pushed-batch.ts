// Objects pushed in through the API (POST /api/v1/synchronisations/{id}/objects) go through the same
// engine as a listing, as one page: the synchronisation's mapping, its contracts and hashes (an
// unchanged object is skipped), its register target and so the push outbox (fan-out to the push
// subscribers of the schema). Like a webhook's object, a batch never deletes: it says nothing about the
// objects it does not carry. The run is recorded like any other (trigger `api`).
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runs } from '../../db/schema';
import { summariseFailure, type RunCounts, type RunSummary } from '../core/run-result';
import type { StepRunner } from '../ports';
import { createRunRecorder } from '../stores/run-recorder';
import type { AdapterOptions } from './adapters';
import { syncArrivedObjects } from './arrived-objects';
import { loadSetupAndTarget } from './setup-and-target';

export async function executePushedBatch(
  db: Db,
  runId: string,
  objects: readonly Record<string, unknown>[],
  step: StepRunner,
  options: AdapterOptions,
): Promise<{ summary: RunSummary; counts: RunCounts | null; idField: string | null }> {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new Error(`run ${runId} not found`);
  const startedAt = new Date();
  await db.update(runs).set({ status: 'running', startedAt }).where(eq(runs.id, runId));
  const recorder = createRunRecorder(db, run.orgId, run.synchronisationId, runId);
  const mode = { test: run.test, force: run.force };
  const started = { ...run, startedAt };
  const finish = async (summary: RunSummary) => {
    await recorder.finish(summary);
    return summary;
  };
  const ready = await loadSetupAndTarget(db, started, options);
  if (!ready.ok) {
    return {
      summary: await finish(summariseFailure(`${ready.message} Nothing was written.`, mode)),
      counts: null,
      idField: null,
    };
  }
  const { setup, target } = ready;
  try {
    const arrival = `${objects.length} ${objects.length === 1 ? 'object' : 'objects'} pushed through the API.`;
    const counts = await step.run('batch', () =>
      syncArrivedObjects(db, started, ready, recorder, { objects, arrival }),
    );
    const result = counts.invalid || counts.failed ? 'error' : 'success';
    const summary = await finish({
      result,
      message:
        `${objects.length} objects pushed through the API: ${counts.created} created, ${counts.updated} updated, ` +
        `${counts.skipped} unchanged${counts.invalid + counts.failed ? `, ${counts.invalid + counts.failed} refused (see the entries)` : ''}.`,
      counts,
      pagesFetched: 1,
      complete: false,
      test: mode.test,
    });
    return { summary, counts, idField: setup.idField };
  } finally {
    await target.close();
  }
}
