// Objects handed to a run rather than listed by it (a webhook's object, a contract re-synchronised, a
// batch pushed through the API) are the run's one page, through the same engine as a listing's page:
// contracts and hashes, decisions, mapping, sub-objects and target. single-object.ts and
// pushed-batch.ts differ only in what they check before and report after, so the page is built here,
// once, and the two cannot drift apart in how they synchronise. Besides the counts, it tells what became
// of each object, by its place among those handed over (a pushed batch answers per object with it).
import type { Db } from '../../db/client';
import type { runs } from '../../db/schema';
import type { RunCounts } from '../core/run-result';
import { processPage, type PlacedOutcome } from '../core/run-page';
import { objectsTimeline } from '../core/timeline';
import type { RunRecorder } from '../ports';
import { createContractStore } from '../stores/contract-store';
import type { BuiltTarget } from './adapters';
import { engineContext } from './engine-context';
import type { RunSetup } from './setup';

export async function syncArrivedObjects(
  db: Db,
  /** `startedAt`: when the run loaded its configuration, and the time of its timeline line. */
  run: typeof runs.$inferSelect & { startedAt: Date },
  ready: { setup: RunSetup; target: BuiltTarget },
  recorder: RunRecorder,
  page: {
    objects: readonly Record<string, unknown>[];
    /** The run's timeline line: how the objects came (nothing was read, so it has no duration). */
    arrival: string;
  },
): Promise<{ counts: RunCounts; objects: readonly PlacedOutcome[] }> {
  const { startedAt } = run;
  const mode = { test: run.test, force: run.force };
  const done = await processPage(
    {
      contracts: createContractStore(db, run.orgId, run.synchronisationId, {
        runId: run.id,
        // As for a listing (execute.ts): into the register, a creation's version is its contract.
        implicitCreations: ready.setup.sync.targetType === 'register',
      }),
      target: ready.target.port,
      recorder,
    },
    {
      ...engineContext(ready.setup, { runId: run.id, mode, checkedAt: startedAt }),
      // Its sender sends the objects again after a failure, in a new run: creates it can find again.
      handedOver: true,
    },
    {
      number: 1,
      objects: page.objects,
      timeline: objectsTimeline(startedAt.getTime(), page.objects.length, page.arrival),
    },
    null,
    { report: true },
  );
  return { counts: done.counts, objects: done.objects ?? [] };
}
