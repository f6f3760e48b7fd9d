// Deletion planning after a listing: contracts whose origin id the run did not see. Deleting is the one
// irreversible thing a sync does, so every doubt (incomplete listing, dry run, too many) means no.
import { evolveContract, type ContractState } from './contracts';
import type { RunMode } from './one-way';
import type { ListingOutcome, UnreadableTally } from './pagination/types';

export const DELETION_POLICIES = ['none', 'soft', 'hard'] as const;
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

export const DEFAULT_HOLD_SHARE = 0.5;

export interface DeletionSettings {
  readonly policy: DeletionPolicy;
  /** When set, only these origin ids may be deleted — compared exactly, never as substrings. */
  readonly restrictDeletion: readonly string[] | null;
  /** Above this share of the existing contracts, deletions are held for approval (default 0.5). */
  readonly holdAboveShare: number;
}

export type DeletionPlan =
  | {
      readonly kind: 'none';
      readonly reason:
        | 'incomplete-listing'
        | 'source-disabled'
        | 'policy-none'
        | 'nothing-vanished'
        /** An incremental run lists only what changed: what it did not see has not vanished. */
        | 'incremental-run';
    }
  /**
   * The file was read to its end, but records of it could not be read (a malformed line): any of them
   * may be an object that seems gone, so the listing is not complete enough to delete by.
   */
  | { readonly kind: 'none'; readonly reason: 'unreadable-records'; readonly unreadable: UnreadableTally }
  /** Objects vanished, but the listing held objects whose id could not be read: any may be one of them. */
  | {
      readonly kind: 'none';
      readonly reason: 'unidentified-objects';
      readonly candidates: number;
      readonly unidentified: number;
    }
  /**
   * Objects vanished, but an object was listed on two pages of the listing: the list shifted while it was
   * read, and the objects that seem gone may be the ones it left out.
   */
  | {
      readonly kind: 'none';
      readonly reason: 'repeated-ids';
      readonly candidates: number;
      readonly repeated: number;
    }
  /** Dry run on a complete listing: what would happen, done by nobody. */
  | {
      readonly kind: 'preview';
      readonly candidates: number;
      readonly total: number;
      readonly limit: number;
      readonly wouldHold: boolean;
    }
  | {
      readonly kind: 'hold';
      readonly candidates: number;
      readonly total: number;
      readonly share: number;
      readonly limit: number;
    }
  | {
      readonly kind: 'apply';
      readonly candidates: number;
      readonly total: number;
      readonly policy: 'soft' | 'hard';
    };

export interface DeletionInput {
  readonly outcome: ListingOutcome;
  readonly mode: RunMode;
  readonly sourceDisabled: boolean;
  readonly settings: DeletionSettings;
  /** Unseen, not yet deleted contracts that restrictDeletion allows. */
  readonly candidates: number;
  /** Contracts that existed (not deleted) before the run: the base of the share. */
  readonly total: number;
  /** Listed objects whose id could not be read (RunCounts.unidentified). */
  readonly unidentified: number;
  /** Objects listed on an earlier page of the same full listing (RunCounts.repeated); left out: none. */
  readonly repeated?: number;
  /** Left out: a full listing. */
  readonly listing?: 'full' | 'incremental';
  /** An incremental run's candidates are sub-objects of objects it read (UnseenQuery.childrenOfListed). */
  readonly childrenOfListed?: boolean;
}

export function planDeletions(input: DeletionInput): DeletionPlan {
  const { settings, candidates, total, unidentified } = input;
  if (!input.outcome.complete) return { kind: 'none', reason: 'incomplete-listing' };
  // What it did not read has not vanished; only sub-objects taken out of an object it read may have.
  if (input.listing === 'incremental' && !input.childrenOfListed)
    return { kind: 'none', reason: 'incremental-run' };
  if (input.sourceDisabled) return { kind: 'none', reason: 'source-disabled' };
  if (settings.policy === 'none') return { kind: 'none', reason: 'policy-none' };
  // Before counting what vanished: nothing the run did not see can be told from what it could not read.
  const unreadable = input.outcome.unreadable;
  if (unreadable && unreadable.count > 0) return { kind: 'none', reason: 'unreadable-records', unreadable };
  if (candidates === 0) return { kind: 'none', reason: 'nothing-vanished' };
  // Safety rule 9: the listing is complete, but it is not known which objects it holds.
  if (unidentified > 0) return { kind: 'none', reason: 'unidentified-objects', candidates, unidentified };
  const repeated = input.repeated ?? 0;
  if (repeated > 0) return { kind: 'none', reason: 'repeated-ids', candidates, repeated };
  const share = total > 0 ? candidates / total : 1;
  const limit = Number.isFinite(settings.holdAboveShare) ? settings.holdAboveShare : DEFAULT_HOLD_SHARE;
  const tooMany = share > limit;
  if (input.mode.test) return { kind: 'preview', candidates, total, limit, wouldHold: tooMany };
  if (tooMany) return { kind: 'hold', candidates, total, share, limit };
  return { kind: 'apply', candidates, total, policy: settings.policy };
}

/** Exact comparison: "12" never matches "123" or "a12". */
export function mayDelete(originId: string, restrictDeletion: readonly string[] | null): boolean {
  return restrictDeletion === null || restrictDeletion.includes(originId);
}

export function heldContract(contract: ContractState, reason: string): ContractState {
  return evolveContract(contract, contract.originId, {
    status: 'held',
    lastAction: 'hold',
    lastError: reason,
  });
}

export type DeleteAnswer = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function contractAfterDelete(contract: ContractState, answer: DeleteAnswer, now: Date): ContractState {
  if (!answer.ok) {
    return evolveContract(contract, contract.originId, {
      status: 'failed',
      lastAction: 'delete',
      lastError: answer.reason,
      targetLastChecked: now,
    });
  }
  return evolveContract(contract, contract.originId, {
    status: 'deleted',
    lastAction: 'delete',
    lastError: null,
    targetLastChanged: now,
    targetLastChecked: now,
    targetLastSynced: now,
  });
}
