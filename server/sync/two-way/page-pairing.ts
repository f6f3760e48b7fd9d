// The register objects a page's source objects that no contract links may be paired with, found once per
// page (a query or two, never one per object): those with the same value of the matching field (the
// first run's matching), and those an earlier create sent to the source without an answer naming the
// object it made (targets/create-intents.ts: `accepted`, or cut off while `sending`). Used by run.ts's
// page step.
import type { markRepeats } from '../core/ids';
import { getPath } from '../core/paths';
import { holdsSent } from '../targets/create-intents';
import type { PairContract } from './pair-store';
import type { RegisterObject } from './register-side';
import type { TwoWayRunInput } from './run';

/** First-run matching: register objects with the source object's value of the matching field, not linked yet. */
export async function matchesFor(
  input: TwoWayRunInput,
  items: ReturnType<typeof markRepeats>,
  contracts: ReadonlyMap<string, PairContract>,
) {
  const match = input.ctx.twoWay.match;
  if (!match) return null;
  const valueOf = (object: Record<string, unknown>) => getPath(object, match.source);
  // Only plain values match (compared as text, as the register query compares them).
  const key = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : null;
  const wanted = items.flatMap((item) => {
    if (!item.ok) return [];
    const c = contracts.get(item.originId);
    if (c && c.status !== 'deleted') return [];
    const k = key(valueOf(item.object));
    return k === null ? [] : [k];
  });
  const groups: Map<string, RegisterObject[]> = wanted.length
    ? await input.ports.side.byField(match.target, wanted)
    : new Map<string, RegisterObject[]>();
  const all = [...groups.values()].flat();
  const linked: Map<string, PairContract> = all.length
    ? await input.ports.pairs.byTargetIds(all.map((o) => o.id))
    : new Map<string, PairContract>();
  return {
    valueOf,
    candidates(object: Record<string, unknown>): RegisterObject[] {
      const k = key(valueOf(object));
      if (k === null) return [];
      return (groups.get(k) ?? []).filter((o) => {
        const c = linked.get(o.id);
        return !c || c.status === 'deleted';
      });
    },
  };
}

/**
 * Creates whose answer never named the object they made (targets/create-intents.ts): `accepted` without
 * one, or left `sending` — the process died or the connection broke while the request was out, so it may
 * have landed. A listed object no contract links that holds every field one of them sent, as sent, is the
 * object that create made — paired with the register object it came from, while that one is linked to
 * nothing: neither copied into the register as a second object nor created at the source again. Null
 * when the page has no such object to ask about, or there is no such create.
 */
export async function outstandingCreatesFor(
  input: TwoWayRunInput,
  items: ReturnType<typeof markRepeats>,
  contracts: ReadonlyMap<string, PairContract>,
) {
  const unlinked = items.some((item) => {
    if (!item.ok) return false;
    const c = contracts.get(item.originId);
    return !c || c.status === 'deleted' || !c.targetId;
  });
  if (!unlinked) return null;
  const accepted = await input.ports.writeBack.outstandingCreates();
  if (accepted.length === 0) return null;
  const objects = await input.ports.side.byIds(accepted.map((a) => a.registerId));
  const linked = objects.size
    ? await input.ports.pairs.byTargetIds([...objects.keys()])
    : new Map<string, PairContract>();
  const open = accepted
    .filter((a) => {
      const c = linked.get(a.registerId);
      return objects.has(a.registerId) && (!c || c.status === 'deleted');
    })
    .sort((a, b) => (a.registerId < b.registerId ? -1 : a.registerId > b.registerId ? 1 : 0));
  if (open.length === 0) return null;
  return {
    find(object: Record<string, unknown>, claimed: ReadonlySet<string>): RegisterObject | undefined {
      const made = open.find((a) => !claimed.has(a.registerId) && holdsSent(a.sent, object));
      return made ? objects.get(made.registerId) : undefined;
    },
  };
}
