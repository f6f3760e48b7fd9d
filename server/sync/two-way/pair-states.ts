// The contract states a two-way decision leaves: in step (both bases taken), in conflict, quarantined
// by the flap breaker, or a tombstone.
import { evolveContract } from '../core/contracts';
import type { ConflictKind } from '../core/decide';
import type { PairContract } from './pair-store';
import type { Pair, TwoWayContext } from './pairs';

/** Both sides hold the same content now: it is the new base of each side. */
export function synced(
  pair: Pair,
  originId: string,
  how: {
    lastAction: 'create' | 'update' | 'skip' | 'match' | 'write-back';
    sentToSource?: string;
    flip?: { flips: number; flipsSince: Date } | undefined;
  },
  ctx: TwoWayContext,
): PairContract {
  const target = pair.target!;
  const state = evolveContract(pair.contract?.status === 'deleted' ? null : pair.contract, originId, {
    targetId: target.id,
    originHash: pair.sourceHash,
    targetHash: target.hash,
    sentHash: pair.mappedHash ?? target.hash,
    status: 'synced',
    lastAction: how.lastAction,
    lastError: null,
    sourceLastChecked: ctx.checkedAt,
    sourceLastSynced: ctx.checkedAt,
    targetLastSynced: ctx.checkedAt,
    ...(pair.source ? { originData: pair.source } : {}),
  });
  return {
    ...state,
    targetBaseHash: target.hash,
    originSentHash: how.sentToSource ?? pair.contract?.originSentHash ?? null,
    targetData: target.data,
    originData: pair.source ?? pair.contract?.originData ?? null,
    flips: how.flip?.flips ?? pair.contract?.flips ?? 0,
    flipsSince: how.flip?.flipsSince ?? pair.contract?.flipsSince ?? null,
  };
}

export function quarantined(
  contract: PairContract,
  originId: string,
  flip: { flips: number; flipsSince: Date },
  reason: string,
  ctx: TwoWayContext,
): PairContract {
  return {
    ...contract,
    ...evolveContract(contract, originId, {
      status: 'quarantined',
      lastAction: 'quarantine',
      lastError: reason,
      sourceLastChecked: ctx.checkedAt,
    }),
    targetBaseHash: contract.targetBaseHash,
    originSentHash: contract.originSentHash,
    targetData: contract.targetData,
    originData: contract.originData,
    flips: flip.flips,
    flipsSince: flip.flipsSince,
  };
}

/** What the contract says of a conflict of this kind, as the Conflicts page names them. */
const CONFLICT_ERRORS: Record<ConflictKind, string> = {
  'both-changed': 'Both sides changed: waits for a person in Conflicts.',
  'source-deleted': 'Deleted at the source and changed in the register: waits for a person in Conflicts.',
  'target-deleted': 'Deleted in the register and changed at the source: waits for a person in Conflicts.',
};

export function inConflict(
  pair: Pair,
  originId: string,
  ctx: TwoWayContext,
  kind: ConflictKind,
): PairContract {
  const previous = pair.contract;
  const state = evolveContract(previous?.status === 'deleted' ? null : previous, originId, {
    targetId: pair.target?.id ?? previous?.targetId ?? null,
    status: 'conflict',
    lastAction: 'conflict',
    lastError: previous
      ? CONFLICT_ERRORS[kind]
      : 'Found on both sides with different values before it was ever synchronised: waits for a person in Conflicts.',
    sourceLastChecked: ctx.checkedAt,
  });
  return {
    ...state,
    targetBaseHash: previous?.targetBaseHash ?? null,
    originSentHash: previous?.originSentHash ?? null,
    targetData: previous?.targetData ?? null,
    originData: previous?.originData ?? pair.source,
    flips: previous?.flips ?? 0,
    flipsSince: previous?.flipsSince ?? null,
  };
}

export function tombstone(contract: PairContract, originId: string, ctx: TwoWayContext): PairContract {
  return {
    ...contract,
    ...evolveContract(contract, originId, {
      status: 'deleted',
      lastAction: 'delete',
      lastError: null,
      sourceLastChecked: ctx.checkedAt,
    }),
    targetBaseHash: contract.targetBaseHash,
    originSentHash: contract.originSentHash,
    targetData: contract.targetData,
    originData: contract.originData,
  };
}
