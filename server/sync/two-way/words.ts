// How a two-way decision reads in a run's log.
import { canonicalJson } from '../core/canonical-json';
import { isRecord } from '../core/paths';
import { inHeldTypes } from '../core/two-way/held-types';
import type { PairDecision } from '../core/decide';

const WHY: Record<string, string> = {
  'new-at-source': 'new at the source',
  'source-changed': 'changed at the source',
  'target-changed': 'changed in the register',
  apart:
    'the two sides differ although neither changed since they were last in step (the other side did not keep ' +
    'a value as written to it — an id it does not change, a value it stores its own way — or the mapping ' +
    'changed)',
  'mapping-edited':
    'the mapping was edited since the two sides were last in step: the source as the new mapping reads it',
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
  if (decision.why === 'apart')
    return `${base}; the source of truth, ${decision.do === 'to-target' ? 'the source' : 'the register'}, decides`;
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

/**
 * After a write-back the source was read again: the fields it was sent that it does not hold as sent (an
 * id it does not change, a value it stores differently), in words for the write's entry — the sides then
 * differ although neither changes, and the next run brings them together as the source of truth says.
 * A value held as the same value in another type (2 and '2', 9.5 and '9.50') is kept, as the engine
 * compares them (held-types.ts); members the source holds beyond those sent do not count. Field names
 * only: values are people's data. Empty when it kept every value.
 */
export function notKeptNote(
  sent: Readonly<Record<string, unknown>>,
  holds: Readonly<Record<string, unknown>>,
  sourceOfTruth: 'source' | 'target',
  listed: Readonly<Record<string, unknown>> | null = null,
): string {
  const fields = notKept(sent, inHeldTypes(holds, sent, false), listed ?? undefined, '');
  if (fields.length === 0) return '';
  const named = fields.map((f) => `“${f}”`).join(', ');
  const then =
    sourceOfTruth === 'source'
      ? 'the next run takes its values into the register (the source is the source of truth)'
      : 'the register keeps its values (it is the source of truth), and they are written again once it changes';
  return (
    ` The source did not keep ${fields.length === 1 ? 'this value' : 'these values'} as written: ${named} ` +
    `(an id it does not change, or a value it stores differently); ${then}.`
  );
}

/**
 * The paths of `sent`'s values that `held` does not hold the same; into objects member by member. A
 * value sent as the source listed it (`listed`: a field of its own a replacing update sends back as it
 * is, source-own-fields.ts) was not the register's to write: the source moving it on itself (a
 * modified-at) is no value it failed to keep.
 */
function notKept(sent: unknown, held: unknown, listed: unknown, at: string): string[] {
  if (isRecord(sent) && isRecord(held))
    return Object.entries(sent).flatMap(([key, value]) =>
      value === undefined || (value === null && !(key in held))
        ? []
        : notKept(value, held[key], isRecord(listed) ? listed[key] : undefined, at ? `${at}.${key}` : key),
    );
  if (canonicalJson(sent) === canonicalJson(held ?? null)) return [];
  return listed !== undefined && canonicalJson(sent) === canonicalJson(listed) ? [] : [at];
}
