// One definition of a run for every executor: a step per page (`page-1`, `page-2`, …) carrying only a
// cursor and counts, then the deletion and finish steps. Inngest, the embedded runner and tests all
// drive this same function with their own StepRunner.
import type { SourcePort, StepRunner } from '../ports';
import type { DeletionSettings } from './deletions';
import { finishRun } from './finish-run';
import { openWindow, type IncrementalPlan } from './incremental/open';
import { addFacts, NO_FACTS, type CursorFacts, type ReadWindow } from './incremental/window';
import type { ListingOutcome } from './pagination/types';
import { syncNextPage } from './page-step';
import type { EnginePorts, RunContext } from './run-page';
import { addCounts, summariseFailure, ZERO_COUNTS, type RunCounts, type RunSummary } from './run-result';

/** Where a run that ran out of page budget continues, in a follow-on execution with the same runId. */
export interface RunResume<TCursor> {
  readonly from: TCursor;
  readonly counts: RunCounts;
  readonly pagesFetched: number;
  /** Incremental synchronisations: the window frozen at the start, and what the pages saw so far. */
  readonly window?: ReadWindow;
  readonly facts?: CursorFacts;
}

export interface RunPlanInput<TCursor> {
  readonly source: SourcePort<TCursor>;
  readonly ports: EnginePorts;
  readonly context: RunContext;
  readonly deletion: DeletionSettings;
  readonly sourceDisabled: boolean;
  /** Pages per execution; the rest continues from a cursor (Inngest allows 1,000 steps per run). */
  readonly pageBudget?: number;
  readonly resume?: RunResume<TCursor>;
  /** Set for a synchronisation that reads incrementally (see core/incremental). */
  readonly incremental?: IncrementalPlan;
}

export type RunPlanResult<TCursor> =
  | { readonly kind: 'finished'; readonly summary: RunSummary }
  | { readonly kind: 'continue'; readonly resume: RunResume<TCursor> };

export async function runSync<TCursor>(
  input: RunPlanInput<TCursor>,
  step: StepRunner,
): Promise<RunPlanResult<TCursor>> {
  const { source, ports, context } = input;
  if (input.sourceDisabled) {
    const summary = summariseFailure(
      'The source is disabled: nothing was read, written or deleted.',
      context.mode,
    );
    await step.run('finish', async () => {
      await ports.recorder.finish(summary);
      return summary;
    });
    return { kind: 'finished', summary };
  }

  let from: TCursor | null = input.resume?.from ?? null;
  let counts = input.resume?.counts ?? ZERO_COUNTS;
  let pagesFetched = input.resume?.pagesFetched ?? 0;
  const budget = input.pageBudget ?? Number.POSITIVE_INFINITY;
  let outcome: ListingOutcome | null = null;

  // The window is frozen once, in a step of its own, before the first page: a resumed run, or its
  // follow-on execution (which carries it), reads up to the same bound.
  let window = input.resume?.window ?? null;
  let facts = input.resume?.facts ?? NO_FACTS;
  const plan = input.incremental;
  if (plan && window === null) {
    const opened = await step.run('read-window', () => openWindow(source, plan, context, ports.recorder));
    if (!opened.ok) {
      const summary = summariseFailure(opened.message, context.mode);
      await step.run('finish', async () => {
        await ports.recorder.finish(summary);
        return summary;
      });
      return { kind: 'finished', summary };
    }
    window = opened.window;
  }
  const tracking = plan && window ? { field: plan.settings.field, window } : null;

  for (let used = 0; outcome === null; used++) {
    if (used >= budget && from !== null) {
      const carried = window ? { window, facts } : {};
      return { kind: 'continue', resume: { from, counts, pagesFetched, ...carried } };
    }
    const before = { counts, pagesFetched };
    const cursor = from;
    const result = await step.run(`page-${pagesFetched + 1}`, () =>
      syncNextPage(source, cursor, ports, context, before, tracking),
    );
    if (result.kind === 'end') {
      outcome = result.outcome;
      break;
    }
    counts = addCounts(counts, result.counts);
    facts = addFacts(facts, result.facts);
    pagesFetched += 1;
    if (result.then.kind === 'end') outcome = result.then.outcome;
    else from = result.then.cursor;
  }

  const summary = await finishRun(
    ports,
    {
      context,
      outcome,
      counts,
      deletion: input.deletion,
      sourceDisabled: input.sourceDisabled,
      ...(window ? { incremental: { window, facts } } : {}),
    },
    step,
  );
  return { kind: 'finished', summary };
}
