// The first step of an incremental synchronisation's run: full or incremental, and the upper bound
// frozen before any page is read. Its result is plain JSON, kept by the step memo and carried into a
// follow-on execution, so every page of the run reads the same window.
import type { RunRecorder, SourcePort } from '../../ports';
import type { RunContext } from '../run-page';
import {
  chooseListing,
  readWindow,
  type IncrementalSettings,
  type IncrementalState,
  type ReadWindow,
} from './window';

export interface IncrementalPlan {
  readonly settings: IncrementalSettings;
  readonly state: IncrementalState;
  /** A person or the reconciliation schedule asked this run to list everything. */
  readonly requestedFull: boolean;
  /** The target register schema's last edit (null: another kind of target). */
  readonly targetChangedAt?: Date | null;
}

export type OpenedWindow =
  { readonly ok: true; readonly window: ReadWindow } | { readonly ok: false; readonly message: string };

export async function openWindow(
  source: SourcePort<unknown>,
  plan: IncrementalPlan,
  context: Pick<RunContext, 'configChangedAt' | 'mappingChangedAt' | 'subObjects'>,
  recorder: Pick<RunRecorder, 'listing'>,
): Promise<OpenedWindow> {
  const choice = chooseListing({
    settings: plan.settings,
    state: plan.state,
    requestedFull: plan.requestedFull,
    configChangedAt: context.configChangedAt,
    mappingChangedAt: latestMappingEdit(context),
    targetChangedAt: plan.targetChangedAt ?? null,
  });
  const bound = source.upperBound ? await source.upperBound() : ({ ok: true, value: null } as const);
  if (!bound.ok) {
    return {
      ok: false,
      message:
        `The largest value of "${plan.settings.field}" could not be read, so the run could not fix where ` +
        `its changes end: ${bound.problem.replace(/\.?$/, '.')} Nothing was read, written or deleted, and the cursor stays.`,
    };
  }
  const window = readWindow(choice, plan.settings, bound.value);
  await recorder.listing?.(window.kind);
  return { ok: true, window };
}

/**
 * The last edit of any mapping the run writes with: its objects' and each kind of sub-object's. Children
 * of objects the cursor has passed are read only by a full listing, so their mapping's edit needs one too.
 */
function latestMappingEdit(context: Pick<RunContext, 'mappingChangedAt' | 'subObjects'>): Date | null {
  let latest = context.mappingChangedAt;
  for (const sub of context.subObjects ?? []) {
    if (sub.mappingChangedAt && (!latest || sub.mappingChangedAt > latest)) latest = sub.mappingChangedAt;
  }
  return latest;
}
