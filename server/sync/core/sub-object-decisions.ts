// Sub-objects of a page: taken from their parents before the page's one contract lookup (so their ids
// join it), then decided like any object, with their own contracts and settings. Children of a parent
// the run leaves alone (filtered out, invalid) are only marked as listed: kept, not planned for deletion.
import type { ContractState } from './contracts';
import { decidePage, type Decision, type DecisionContext } from './one-way';
import { listedIds, markRepeats, type IdentifiedItem } from './ids';
import { decidePaced, type Pace } from './paced';
import { extractSubObjects, type SubObjectSettings } from './sub-objects';

/** The children one parent holds at one configured path. */
export interface ChildGroup {
  /** The parent's position among the page's items. */
  readonly parent: number;
  readonly sub: SubObjectSettings;
  readonly items: readonly IdentifiedItem[];
}

/** Children of every parent that has an id; nothing at all when no sub-objects are configured. */
export function identifyChildren(
  parents: readonly IdentifiedItem[],
  subs: readonly SubObjectSettings[],
): ChildGroup[] {
  if (subs.length === 0) return [];
  const groups: ChildGroup[] = [];
  parents.forEach((item, parent) => {
    if (!item.ok) return;
    for (const sub of subs) {
      const items = extractSubObjects(item.object, item.originId, sub);
      if (items.length > 0) groups.push({ parent, sub, items });
    }
  });
  return groups;
}

/** The children's ids to look up with the parents' (only those with a usable id). */
export function childOriginIds(groups: readonly ChildGroup[]): string[] {
  return groups.flatMap((group) => group.items.flatMap((item) => (item.ok ? [item.originId] : [])));
}

export interface ChildOutcome {
  /** In page order, after the parents' decisions: children are written after their parents. */
  readonly decisions: Decision[];
  /** Every child id to mark as listed, decided or not. */
  readonly seen: string[];
  /** Children that were decided (they count as found objects of the run). */
  readonly found: number;
}

export type ChildContext = Omit<DecisionContext, 'settings' | 'mappingChangedAt'> & { readonly pace?: Pace };

/**
 * Decides the children of the parents the run synchronises (created, updated or skipped — a skipped
 * parent's children are still decided, as their own mapping or an earlier failed write may need a write).
 * A child whose id this run already listed (on an earlier page, or as an object of this page) is a repeat.
 * Children of a parent listed on an earlier page are left entirely to that first listing.
 */
export async function decideChildren(
  groups: readonly ChildGroup[],
  page: { readonly items: readonly IdentifiedItem[]; readonly decisions: readonly Decision[] },
  contracts: ReadonlyMap<string, ContractState>,
  seenEarlier: ReadonlySet<string>,
  context: ChildContext,
): Promise<ChildOutcome> {
  const outcome = { decisions: [] as Decision[], seen: [] as string[], found: 0 };
  if (groups.length === 0) return outcome;
  const taken = new Set(seenEarlier);
  for (const item of page.items) if (item.ok) taken.add(item.originId);
  const contexts = new Map<SubObjectSettings, DecisionContext>();

  for (const group of groups) {
    if (!page.items[group.parent]?.ok) continue;
    const items = markRepeats(group.items, taken);
    outcome.seen.push(...listedIds(items));
    const action = page.decisions[group.parent]?.action;
    if (action !== 'create' && action !== 'update' && action !== 'skip') continue;
    let childContext = contexts.get(group.sub);
    if (!childContext) {
      const { settings, mappingChangedAt } = group.sub;
      childContext = { ...context, settings, mappingChangedAt };
      contexts.set(group.sub, childContext);
    }
    outcome.found += items.length;
    const decide = (batch: readonly IdentifiedItem[]) => decidePage(batch, contracts, childContext);
    outcome.decisions.push(...(await decidePaced(items, context.pace, decide)));
  }
  return outcome;
}
