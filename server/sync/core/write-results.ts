// Turns the target's per-object answers into contract states. A refused write keeps the old origin
// hash, so the object is tried again on the next run instead of being skipped as unchanged.
import { evolveContract, type ContractState } from './contracts';
import type { Decision } from './decisions';

export type WriteDecision = Extract<Decision, { action: 'create' | 'update' }>;

export type WriteAnswer =
  | { readonly ok: true; readonly targetId: string; readonly targetHash: string }
  /** `invalid`: refused by Concord before writing (see TargetWriteResult), not by the target. */
  | { readonly ok: false; readonly reason: string; readonly invalid?: true };

export interface WriteTimes {
  /** When the run loaded its configuration (see skip-rule.ts). */
  readonly checkedAt: Date;
  /** When the write happened. */
  readonly now: Date;
}

export function contractAfterWrite(
  decision: WriteDecision,
  answer: WriteAnswer,
  times: WriteTimes,
): ContractState {
  const { previous, originId } = decision;
  const parentOriginId = decision.parentOriginId ?? previous?.parentOriginId ?? null;
  if (!answer.ok) {
    return evolveContract(previous, originId, {
      parentOriginId,
      status: answer.invalid ? 'invalid' : 'failed',
      lastAction: answer.invalid ? 'reject' : decision.action,
      lastError: answer.reason,
      originData: decision.source,
      sourceLastChecked: times.checkedAt,
      targetLastChecked: times.now,
    });
  }
  const originChanged = previous?.originHash !== decision.originHash;
  const targetChanged = !isRewrite(decision, answer);
  return evolveContract(previous, originId, {
    parentOriginId,
    status: 'synced',
    lastAction: targetChanged ? decision.action : 'rewrite',
    lastError: null,
    originData: decision.source,
    targetId: answer.targetId,
    originHash: decision.originHash,
    targetHash: answer.targetHash,
    sourceLastChanged: originChanged ? times.checkedAt : (previous?.sourceLastChanged ?? times.checkedAt),
    sourceLastChecked: times.checkedAt,
    sourceLastSynced: times.now,
    targetLastChanged: targetChanged ? times.now : (previous?.targetLastChanged ?? times.now),
    targetLastChecked: times.now,
    targetLastSynced: times.now,
  });
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
