// How a two-way decision reads in a run's log.
import type { PairDecision } from '../core/decide';

const WHY: Record<string, string> = {
  'new-at-source': 'new at the source',
  'source-changed': 'changed at the source',
  'target-changed': 'changed in the register',
  'target-only': 'only in the register',
  'source-deleted': 'deleted at the source',
  'target-deleted': 'deleted in the register',
  reappeared: 'back at the source after both sides deleted it',
  'conflict-settled': 'a conflict, settled',
};

export function reasonOf(decision: PairDecision): string {
  if (!('why' in decision)) return '';
  const settled = 'settled' in decision && decision.settled;
  const base = WHY[decision.why] ?? decision.why;
  if (!settled) return base;
  const rule =
    settled.by === 'source-of-truth' ? 'the source of truth (no usable dates)' : settled.by.replace('-', ' ');
  return `both sides changed (${settled.kind.replace('-', ' ')}); settled by ${rule}`;
}

/** `firstMatch`: paired by the match field with no contract yet, so there is no base to tell who changed. */
export function conflictReason(kind: string, firstMatch = false): string {
  if (kind === 'both-changed' && firstMatch)
    return 'Conflict: found on both sides with different values before Concord had ever synchronised it, so no earlier version tells which is right. It waits in Conflicts.';
  if (kind === 'source-deleted')
    return 'Conflict: deleted at the source and changed in the register. It waits in Conflicts.';
  if (kind === 'target-deleted')
    return 'Conflict: deleted in the register and changed at the source. It waits in Conflicts.';
  return 'Conflict: changed on both sides into different versions. It waits in Conflicts.';
}
