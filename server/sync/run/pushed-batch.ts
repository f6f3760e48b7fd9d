// Objects pushed in through the API (POST /api/v1/synchronisations/{id}/objects) go through the same
// engine as a listing, as one page: the synchronisation's mapping, its contracts and hashes (an
// unchanged object is skipped), its register target and so the push outbox (fan-out to the push
// subscribers of the schema). Like a webhook's object, a batch never deletes: it says nothing about the
// objects it does not carry. The run is recorded like any other (trigger `api`), and its result follows
// the rule of every run (run-result.ts `objectsResult`): a warning when some objects were refused, an
// error only when not a single one got through.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runs } from '../../db/schema';
import { objectsResult, summariseFailure, type RunCounts, type RunSummary } from '../core/run-result';
import type { PlacedOutcome } from '../core/run-page';
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
): Promise<{
  summary: RunSummary;
  counts: RunCounts | null;
  /** What became of each object, in the order sent; null when the run could not start. */
  objects: readonly PlacedOutcome[] | null;
  idField: string | null;
}> {
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
      objects: null,
      idField: null,
    };
  }
  const { setup, target } = ready;
  try {
    const pushed = `${objects.length} ${objects.length === 1 ? 'object' : 'objects'} pushed through the API`;
    const done = await step.run('batch', () =>
      syncArrivedObjects(db, started, ready, recorder, { objects, arrival: `${pushed}.` }),
    );
    const { counts } = done;
    const summary = await finish({
      result: objectsResult(counts),
      message: `${mode.test ? 'Dry run, nothing was written: ' : ''}${pushed}: ${tally(counts)}.`,
      counts,
      pagesFetched: 1,
      complete: false,
      test: mode.test,
    });
    return { summary, counts, objects: done.objects, idField: setup.idField };
  } finally {
    await target.close();
  }
}

function tally(counts: RunCounts): string {
  const parts = [`${counts.created} created`, `${counts.updated} updated`];
  if (counts.rewritten > 0) parts.push(`${counts.rewritten} rewritten unchanged`);
  parts.push(`${counts.skipped} unchanged`);
  if (counts.filtered > 0) parts.push(`${counts.filtered} filtered out`);
  const refused = counts.invalid + counts.failed;
  if (refused > 0) parts.push(`${refused} refused (see the entries)`);
  return parts.join(', ');
}
