// The decision table of a two-way synchronisation (seeds 000 and 001, BRIEF "Both directions"): for one
// object, given what the contract remembers and what each side holds now, what to do on each side.
//
// Whether a side changed is decided against its base — the hash the contract kept when the object was
// last synced — never by a clock. Clocks (updated-at fields) only break a tie between two changed sides
// under the newer-wins policy. The whole table:
//
//   contract | source now | target now | decision
//   ---------+------------+------------+----------------------------------------------------------------
//   none     | present    | absent     | create on the target
//   none     | absent     | present    | target only: leave, delete it, or add it to the source (policy)
//   none     | present    | present    | (matched by the matching field) same content → link; else the
//            |            |            |   versions differ with no base to tell who changed: a conflict
//   kept     | present    | present    | same content → nothing (or take the new bases: an echo, or
//            |            |            |   identical edits); only one side changed → copy it to the other;
//            |            |            |   both changed → a conflict
//   kept     | absent     | present    | target unchanged → delete it on the target; changed → a conflict
//   kept     | present    | absent     | source unchanged → delete it on the source; changed → a conflict
//   kept     | absent     | absent     | both gone: the contract stays as a tombstone
//   deleted  | present    | absent     | the source has it again: create it on the target (logged)
//
// A conflict is settled by the policy (source wins, target wins, newer wins) or waits for a person
// (manual). "Absent at the source" is only ever said after a complete listing of the source.
import type { ConflictPolicy, SourceOfTruth, TwoWaySettings } from './settings';

export type ConflictKind = 'both-changed' | 'source-deleted' | 'target-deleted';

/** What the contract remembers of an object's last sync (null: no contract). */
export interface PairBase {
  /** Hash of the source object as last synced (read back after Concord wrote it, where possible). */
  readonly sourceHash: string | null;
  /** Hash of the target object as last synced. */
  readonly targetHash: string | null;
  /** Hash of what Concord last wrote to the source: the source answering with exactly that is an echo. */
  readonly sourceWritten: string | null;
  /** The contract is a tombstone: both sides deleted the object. */
  readonly deleted: boolean;
}

/** One side's object now. */
export interface SideNow {
  readonly hash: string;
  /** The side's updated-at value as read, for newer-wins (null: the side has none). */
  readonly updatedAt: unknown;
}

export interface PairInput {
  readonly base: PairBase | null;
  /** Null: the (complete) listing of the source does not hold it. */
  readonly source: SideNow | null;
  /** Null: the target does not hold it. */
  readonly target: SideNow | null;
  /** Both present, and the source's version (through the mapping) is what the target holds. */
  readonly same: boolean;
  readonly settings: TwoWaySettings;
}

/** Which way a settled conflict went, and by which rule (for the log and the conflict's history). */
export interface Settled {
  readonly kind: ConflictKind;
  readonly by: Exclude<ConflictPolicy, 'manual'> | 'source-of-truth';
}

export type PairDecision =
  | { readonly do: 'nothing'; readonly why: 'unchanged' | 'both-gone' | 'left-alone' }
  /** Both sides hold the same content now: remember both as the new base, write nothing. */
  | { readonly do: 'rebase'; readonly why: 'identical-edits' | 'echo' | 'matched' }
  | { readonly do: 'to-target'; readonly create: boolean; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'to-source'; readonly create: boolean; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'delete-target'; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'delete-source'; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'conflict'; readonly kind: ConflictKind };

type Why =
  | 'new-at-source'
  | 'source-changed'
  | 'target-changed'
  | 'target-only'
  | 'source-deleted'
  | 'target-deleted'
  | 'reappeared'
  | 'conflict-settled';

export function decidePair(input: PairInput): PairDecision {
  const { base, source, target, settings } = input;

  if (base === null || base.deleted) {
    if (source && !target)
      return { do: 'to-target', create: true, why: base ? 'reappeared' : 'new-at-source' };
    if (!source && target) return targetOnly(settings);
    if (!source || !target) return { do: 'nothing', why: 'both-gone' };
    // Two objects paired by the matching field (or a tombstone met by both again): no base says who changed.
    if (input.same) return { do: 'rebase', why: 'matched' };
    return settle('both-changed', input);
  }

  // Our own write coming back (the source answers with exactly what Concord wrote) is no change.
  const sourceChanged =
    source !== null && source.hash !== base.sourceHash && source.hash !== base.sourceWritten;
  const targetChanged = target !== null && target.hash !== base.targetHash;

  if (source && target) {
    if (input.same) {
      if (!sourceChanged && !targetChanged) return { do: 'nothing', why: 'unchanged' };
      return { do: 'rebase', why: sourceChanged && targetChanged ? 'identical-edits' : 'echo' };
    }
    if (sourceChanged && targetChanged) return settle('both-changed', input);
    if (sourceChanged) return { do: 'to-target', create: false, why: 'source-changed' };
    if (targetChanged) return { do: 'to-source', create: false, why: 'target-changed' };
    // Neither changed against its base, yet they differ: the last sync left them apart (a refused
    // write, a mapping edit). The source of truth decides which way to bring them together.
    return settings.sourceOfTruth === 'source'
      ? { do: 'to-target', create: false, why: 'source-changed' }
      : { do: 'to-source', create: false, why: 'target-changed' };
  }
  if (!source && target) {
    return targetChanged ? settle('source-deleted', input) : { do: 'delete-target', why: 'source-deleted' };
  }
  if (source && !target) {
    return sourceChanged ? settle('target-deleted', input) : { do: 'delete-source', why: 'target-deleted' };
  }
  return { do: 'nothing', why: 'both-gone' };
}

/** Seed 000's first scenario: an object only the target holds, which no contract links to the source. */
function targetOnly(settings: TwoWaySettings): PairDecision {
  switch (settings.targetOnly) {
    case 'leave':
      return { do: 'nothing', why: 'left-alone' };
    case 'delete':
      return { do: 'delete-target', why: 'target-only' };
    case 'add-to-source':
      return { do: 'to-source', create: true, why: 'target-only' };
  }
}

/** A conflict: settled by the policy, or left for a person. */
function settle(kind: ConflictKind, input: PairInput): PairDecision {
  const { settings } = input;
  const policy = settings.conflictPolicy;
  if (policy === 'manual') return { do: 'conflict', kind };
  let winner: 'source' | 'target';
  let by: Settled['by'];
  if (policy === 'newer-wins') {
    const newer = newerSide(input.source?.updatedAt, input.target?.updatedAt);
    winner = newer ?? settings.sourceOfTruth;
    by = newer ? 'newer-wins' : 'source-of-truth';
  } else {
    winner = policy === 'source-wins' ? 'source' : 'target';
    by = policy;
  }
  return winning(kind, winner, { kind, by });
}

/** What the winning side's version means for the other side. */
function winning(kind: ConflictKind, winner: SourceOfTruth, settled: Settled): PairDecision {
  const why = 'conflict-settled' as const;
  if (kind === 'both-changed')
    return winner === 'source'
      ? { do: 'to-target', create: false, settled, why }
      : { do: 'to-source', create: false, settled, why };
  if (kind === 'source-deleted')
    return winner === 'source'
      ? { do: 'delete-target', settled, why }
      : { do: 'to-source', create: true, settled, why };
  return winner === 'source'
    ? { do: 'to-target', create: true, settled, why }
    : { do: 'delete-source', settled, why };
}

/**
 * Which side's updated-at value is later, or null when that cannot be told: a side without a value (a
 * deleted object has none), values that are not dates, or the same moment.
 */
export function newerSide(source: unknown, target: unknown): 'source' | 'target' | null {
  const a = moment(source);
  const b = moment(target);
  if (a === null || b === null || a === b) return null;
  return a > b ? 'source' : 'target';
}

/** A date as milliseconds: an ISO 8601 string, or a number of seconds or milliseconds since 1970. */
export function moment(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Ten digits are seconds (until 2286), thirteen milliseconds.
    return Math.abs(value) < 1e11 ? value * 1000 : value;
  }
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) return moment(Number(value));
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
