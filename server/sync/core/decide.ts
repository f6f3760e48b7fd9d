// THE decision table of every synchronisation (seeds 000 and 001, BRIEF "Both directions"): for one
// object, given what the contract remembers (the base), what the source side holds now and what the
// target side holds now, what to do on each side. Pull, push and two-way are three readings of it:
//
// - pull and push: the target side is never read (`target: 'unread'`). What the contract remembers of
//   the last write — the hash of what the target was handed — stands in for it, and nothing is ever
//   written to the source. (A push is a pull whose source is the register.)
// - two-way: both sides are listed (`target` is an object or null), and either may be written.
//
// Whether a side changed is decided against its base, never by a clock. Clocks (updated-at fields)
// only break a tie between two changed sides under the newer-wins policy. The whole table:
//
//   contract | source now   | target now | decision
//   =========+==============+============+===============================================================
//   Either reading, first (prepare.ts tells these objects apart for both; a two-way run leaves them out
//   before pairing, a pull hands them to the table):
//   any      | filtered     | any        | nothing: left out by the conditions (it counts as seen, so is
//            |              |            |   not deleted)
//   any      | unusable     | any        | invalid: nothing written, the reason kept (no id, conditions,
//            |              |            |   hash or mapping failed)
//   ---------+--------------+------------+---------------------------------------------------------------
//   One way (pull, push): the target is never read
//   none     | present      | unread     | create on the target (update only: update the target object
//            |              |            |   with the source's id, if there is one — never create)
//   kept     | present      | unread     | source unchanged since its base, nothing edited, not forced →
//            |              |            |   nothing (a version the target rejected stays rejected); this
//            |              |            |   run wrote it already (a page retried) → nothing
//            |              |            | changed, but the output is what the target was last handed →
//            |              |            |   nothing (no request); insert only → nothing; else → update
//   kept, no | present      | unread     | as "none": the object never reached the target
//    target  |              |            |
//   deleted  | present      | unread     | create on the target again (it came back)
//   kept     | absent       | unread     | delete on the target (all such objects at once: deletions.ts
//            |              |            |   holds them above the threshold, and only after a complete
//            |              |            |   listing; restrictDeletion; the deletion policy)
//   deleted  | absent       | unread     | nothing: gone on both sides, the contract is a tombstone
//   ---------+--------------+------------+---------------------------------------------------------------
//   Two way: both sides listed
//   none     | present      | absent     | create on the target
//   none     | absent       | present    | target only: leave, delete it, or add it to the source (policy)
//   none     | present      | present    | (matched by the matching field) same content → link; else the
//            |              |            |   versions differ with no base to tell who changed: a conflict
//   kept     | present      | present    | same content → nothing (or take the new bases: an echo, or
//            |              |            |   identical edits); only one side changed → copy it to the other;
//            |              |            |   both changed → a conflict; neither, yet they differ → the
//            |              |            |   source of truth's version goes to the other side
//   kept     | absent       | present    | target unchanged → delete it on the target; changed → a conflict
//   kept     | present      | absent     | source unchanged → delete it on the source; changed → a conflict
//   kept     | absent       | absent     | both gone: the contract stays as a tombstone
//   deleted  | present      | absent     | the source has it again: create it on the target (logged) —
//            |              |            |   unless it is the object Concord soft deleted, unchanged since
//
// A conflict is settled by the policy (source wins, target wins, newer wins) or waits for a person
// (manual). "Absent at the source" is only ever said after a complete listing of the source. No I/O
// happens here: the callers make each side's object ready (prepare.ts: conditions, hash; a pull's
// output only when a row asks for it) and carry out what the table says (one-way.ts records a pull's
// or push's answers as Decisions; two-way/pairs.ts writes both sides).
import type { ContractState } from './contracts';
import type {
  ConflictKind,
  Decided,
  DecideInput,
  OneWayDecision,
  OneWayGoneDecision,
  OneWayGoneInput,
  OneWayInput,
  PairDecision,
  PairInput,
  Settled,
} from './decision-types';
import { UNREAD } from './decision-types';
import { skipVerdict } from './skip-rule';
import type { SourceOfTruth, TwoWaySettings } from './two-way/settings';

// What goes in (the base, each side, the settings) and what comes out (what to do on each side).
export * from './decision-types';

// ── The table ────────────────────────────────────────────────────────────────────────────────────────

export function decide(input: PairInput): PairDecision;
export function decide(input: OneWayInput): OneWayDecision;
export function decide(input: OneWayGoneInput): OneWayGoneDecision;
export function decide(input: DecideInput): Decided;
export function decide(input: DecideInput): Decided {
  if (input.target !== UNREAD) return bothSides(input);
  if (input.source === null) {
    // Gone from a complete listing: the target follows (under the deletion rules of deletions.ts).
    return input.base.status === 'deleted'
      ? { do: 'nothing', why: 'both-gone' }
      : { do: 'delete-target', why: 'source-deleted' };
  }
  return oneWay(input);
}

/** Pull and push: the target is never read; the contract's memory of the last write stands for it. */
function oneWay(input: OneWayInput): OneWayDecision {
  const { base, source, settings } = input;
  if ('leftOut' in source)
    return source.leftOut === 'filtered'
      ? { do: 'nothing', why: 'filtered' }
      : { do: 'invalid', reason: source.reason };

  // Has the source changed since its base (or was the synchronisation edited, or the run forced)?
  const verdict = skipVerdict({
    contract: base,
    originHash: source.hash,
    configChangedAt: settings.configChangedAt,
    mappingChangedAt: settings.mappingChangedAt,
    force: settings.force,
  });
  if (verdict.skip && base) {
    // sourceLastChecked is the run's fixed start, and one sync never has two runs at once: a contract
    // checked at this very moment was written by this run (a page retried after its writes committed).
    if (base.sourceLastChecked?.getTime() === settings.checkedAt.getTime() && writtenBefore(base))
      return { do: 'nothing', why: 'written-this-run' };
    return { do: 'nothing', why: 'unchanged' };
  }
  const because = verdict.skip ? 'no-contract' : verdict.because;

  const output = input.output();
  if (!output.ok) return { do: 'invalid', reason: output.reason };
  const mode = settings.writeMode ?? 'upsert';
  if (base?.targetId && base.status !== 'deleted') {
    // The target already holds this output (the source changed in what the mapping leaves out, or the
    // sync was edited without changing what it writes): no request.
    const sent = base.sentHash ?? base.targetHash;
    if (!settings.force && base.status === 'synced' && sent === output.sentHash)
      return { do: 'nothing', why: 'output-unchanged' };
    if (mode === 'insert-only') return { do: 'nothing', why: 'insert-only' };
    return { do: 'to-target', create: false, why: 'source-changed', because };
  }
  const why = base?.status === 'deleted' ? 'reappeared' : 'new-at-source';
  // Update only never creates: it updates the target object that has the source's id, if there is one.
  if (mode === 'update-only') return { do: 'to-target', create: false, ifExists: true, why, because };
  return { do: 'to-target', create: true, why, because };
}

/** Whether this run already wrote (or had refused) the contract it finds checked at its own start. */
export function writtenBefore(base: ContractState): 'create' | 'update' | 'rewrite' | 'reject' | null {
  const done = base.lastAction;
  if (done !== 'create' && done !== 'update' && done !== 'rewrite') return null;
  if (base.status === 'synced') return done;
  return base.status === 'rejected' ? 'reject' : null;
}

/** Two-way: both sides listed, either may be written. */
function bothSides(input: PairInput): PairDecision {
  const { base, source, target, settings } = input;

  if (base === null || base.deleted) {
    // Soft deleted at the source by Concord: still listed, marked, exactly as the tombstone remembers it.
    const marked = base !== null && source !== null && source.hash === base.sourceHash;
    if (marked && !target) return { do: 'nothing', why: 'both-gone' };
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
    // write, a value the source did not keep as written — an id it does not change —, a mapping edit).
    // The source of truth decides which way to bring them together; the log says it was not a change.
    return settings.sourceOfTruth === 'source'
      ? { do: 'to-target', create: false, why: 'apart' }
      : { do: 'to-source', create: false, why: 'apart' };
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
