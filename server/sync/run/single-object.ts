// Synchronises one object that arrived by webhook through the same engine as a listing: the same
// contract lookup, decisions, mapping, target and log — but never deletions (one object says nothing
// about the others).
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runs } from '../../db/schema';
import { readOriginId } from '../core/ids';
import { summariseFailure, ZERO_COUNTS, type RunSummary } from '../core/run-result';
import type { StepRunner } from '../ports';
import { createRunRecorder } from '../stores/run-recorder';
import type { AdapterOptions } from './adapters';
import { syncArrivedObjects } from './arrived-objects';
import { loadSetupAndTarget } from './setup-and-target';

export async function executeSingleObject(
  db: Db,
  runId: string,
  object: Record<string, unknown>,
  step: StepRunner,
  options: AdapterOptions,
): Promise<RunSummary | null> {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run || run.status === 'finished' || run.status === 'cancelled') return null;
  const startedAt = run.startedAt ?? new Date();
  await db.update(runs).set({ status: 'running', startedAt }).where(eq(runs.id, runId));
  const recorder = createRunRecorder(db, run.orgId, run.synchronisationId, runId);
  const mode = { test: run.test, force: run.force };
  const started = { ...run, startedAt };
  const finish = (summary: RunSummary) =>
    step.run('finish', async () => {
      await recorder.finish(summary);
      return summary;
    });

  const ready = await loadSetupAndTarget(db, started, options);
  if (!ready.ok) return finish(summariseFailure(`${ready.message} Nothing was written.`, mode));
  const { setup, target } = ready;
  // A synchronisation limited to selected ids leaves every other object alone, also one sent to it.
  const selected = setup.sourceConfig.selectedIds;
  const id = readOriginId(object, setup.idField);
  if (selected.length > 0 && id.ok && !selected.includes(id.id)) {
    await target.close();
    const counts = { ...ZERO_COUNTS, found: 1, filtered: 1 };
    const message = `${run.trigger === 'webhook' ? 'One object received by webhook' : 'One object re-synchronised'}: "${id.id}" is not among the selected ids, so it was left alone.`;
    return finish({ result: 'success', message, counts, pagesFetched: 1, complete: false, test: mode.test });
  }
  try {
    const arrival =
      run.trigger === 'webhook' ? 'One object received by webhook.' : 'One object re-synchronised.';
    // The step keeps the counts alone, as it always has (a step memo stored before is read back as such).
    const counts = await step.run(
      'object',
      async () =>
        (await syncArrivedObjects(db, started, ready, recorder, { objects: [object], arrival })).counts,
    );
    const action = counts.created
      ? 'created'
      : counts.updated
        ? 'updated'
        : counts.rewritten
          ? 'rewritten, its content unchanged'
          : counts.skipped
            ? 'unchanged'
            : counts.filtered
              ? 'filtered out by the conditions'
              : counts.invalid
                ? 'invalid'
                : 'refused by the target';
    const result = counts.invalid || counts.failed ? 'error' : 'success';
    return finish({
      result,
      message: `${run.trigger === 'webhook' ? 'One object received by webhook' : 'One object re-synchronised'}: ${action}.${result === 'error' ? ' See the entry below for the reason.' : ''}`,
      counts,
      pagesFetched: 1,
      complete: false,
      test: mode.test,
    });
  } finally {
    await target.close();
  }
}
