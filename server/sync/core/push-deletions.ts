// Deletions a push run knows of: register objects deleted since they were last pushed. Unlike a
// listing, the run does not infer them from what it did not see — each was deleted in the register —
// but the rest of the deletion rules hold: the deletion policy (none, soft, hard; a mirror deletes
// hard), restrictDeletion matched exactly, the share above which deletions wait for approval, and a
// dry run deletes nothing.
import type { ListingOutcome } from './pagination/types';
import { mayDelete, planDeletions, type DeletionPlan, type DeletionSettings } from './deletions';
import { goneFromSource, settleDeletions } from './finish-run';
import type { EnginePorts, RunContext } from './run-page';
import type { RunCounts } from './run-result';
import type { RunEntry } from '../ports';

// The register told us which objects are gone: as good as a complete listing of them.
const KNOWN: ListingOutcome = { complete: true, pages: 1 };

export interface DepartedResult {
  readonly plan: DeletionPlan;
  readonly counts: Partial<RunCounts>;
  readonly entries: readonly RunEntry[];
}

export async function deleteDeparted(
  ports: EnginePorts,
  context: RunContext,
  settings: DeletionSettings,
  originIds: readonly string[],
  sourceDisabled: boolean,
): Promise<DepartedResult> {
  const base = { outcome: KNOWN, mode: context.mode, sourceDisabled, settings, unidentified: 0 };
  const nothing = planDeletions({ ...base, candidates: originIds.length, total: 1 });
  if (nothing.kind === 'none') return { plan: nothing, counts: {}, entries: [] };
  const lookup = await ports.contracts.lookup({ runId: context.runId, page: 0, originIds });
  const eligible = lookup.contracts.filter(
    (c) => goneFromSource(c) && mayDelete(c.originId, settings.restrictDeletion),
  );
  const total = eligible.length === 0 ? 0 : await ports.contracts.countActive({ before: context.checkedAt });
  const plan = planDeletions({ ...base, candidates: eligible.length, total });
  if (plan.kind === 'none') return { plan, counts: {}, entries: [] };
  const { counts, entries } = await settleDeletions(ports, context, plan, eligible);
  return { plan, counts, entries };
}
