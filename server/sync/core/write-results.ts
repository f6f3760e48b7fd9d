// Turns the target's per-object answers into contract states. A write that failed for a reason that
// may pass keeps the old origin hash and is tried again next run; a version the target refused is
// kept as rejected, and the skip rule does not send it again until it changes.
import { evolveContract, type ContractState } from './contracts';
import type { Relocated } from '../ports';
import type { Decision } from './one-way';

export type WriteDecision = Extract<Decision, { action: 'create' | 'update' }>;

/** A target's answer for one object (see TargetWriteResult and TargetRefusal in ports.ts). */
export type WriteAnswer =
  | {
      readonly ok: true;
      readonly targetId: string;
      readonly targetHash: string;
      /** A create that found the target holding an object under its key (TargetWriteResult). */
      readonly existing?: 'taken-over' | 'left';
      /** An update written elsewhere than its contract's id (TargetWriteResult). */
      readonly relocated?: Relocated;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      /** Refused by Concord before writing (the register schema), not by the target. */
      readonly invalid?: true;
      /** May pass on its own: tried again next run. Otherwise the target refused this version. */
      readonly transient?: boolean;
      /** Update only: the target has no such object. */
      readonly absent?: true;
    };

export interface WriteTimes {
  /** When the run loaded its configuration (see skip-rule.ts). */
  readonly checkedAt: Date;
  /** When the write happened. */
  readonly now: Date;
  /** Keep what was sent, or only its field names (EngineSettings.keepSentObjects). */
  readonly keepSent?: boolean | 'fields';
}

export function contractAfterWrite(
  decision: WriteDecision,
  answer: WriteAnswer,
  times: WriteTimes,
): ContractState {
  const { previous, originId } = decision;
  const parentOriginId = decision.parentOriginId ?? previous?.parentOriginId ?? null;
  if (!answer.ok) {
    const status = answer.invalid ? 'invalid' : answer.transient ? 'failed' : 'rejected';
    return evolveContract(previous, originId, {
      parentOriginId,
      status,
      // The skip rule recognises a rejected version by its hash (see skip-rule.ts).
      ...(status === 'rejected' ? { originHash: decision.originHash } : {}),
      lastAction: answer.invalid ? 'reject' : decision.action,
      lastError: answer.reason,
      originData: decision.source,
      sourceLastChecked: times.checkedAt,
      targetLastChecked: times.now,
    });
  }
  const originChanged = previous?.originHash !== decision.originHash;
  const targetChanged = !isRewrite(decision, answer);
  const state = evolveContract(previous, originId, {
    parentOriginId,
    status: 'synced',
    lastAction: targetChanged ? decision.action : 'rewrite',
    lastError: null,
    originData: decision.source,
    targetId: answer.targetId,
    originHash: decision.originHash,
    targetHash: answer.targetHash,
    sentHash: decision.sentHash === answer.targetHash ? null : decision.sentHash,
    sentData: !times.keepSent
      ? null
      : times.keepSent === 'fields'
        ? fieldsOf(decision.mapped)
        : decision.mapped,
    sourceLastChanged: originChanged ? times.checkedAt : (previous?.sourceLastChanged ?? times.checkedAt),
    sourceLastChecked: times.checkedAt,
    sourceLastSynced: times.now,
    targetLastChanged: targetChanged ? times.now : (previous?.targetLastChanged ?? times.now),
    targetLastChecked: times.now,
    targetLastSynced: times.now,
  });
  return { ...state, written: decision.mapped };
}

/**
 * An update the target answered with the content it already had (same object, same hash): a rewrite of
 * an unchanged object, counted apart from real updates. A target answers the hash of what it stores.
 */
export function isRewrite(decision: WriteDecision, answer: WriteAnswer & { ok: true }): boolean {
  const { previous } = decision;
  return (
    decision.action === 'update' &&
    previous !== null &&
    previous.targetHash !== null &&
    previous.targetHash === answer.targetHash &&
    previous.targetId === answer.targetId
  );
}

/**
 * An object's field names, each with the value 0 (EngineSettings.keepSentObjects `'fields'`): what an
 * SQL target without chosen columns needs to empty the columns of fields an object dropped since, at a
 * fraction of the bytes of the object (a REST target sending changed fields keeps the object itself, the
 * base of its patch).
 */
function fieldsOf(object: Readonly<Record<string, unknown>>): Record<string, 0> {
  const fields: Record<string, 0> = {};
  for (const [field, value] of Object.entries(object)) if (value !== undefined) fields[field] = 0;
  return fields;
}
