// A deletion a person rejected (the held deletions' Reject): the objects are kept and their contracts say
// who rejected it. Rejecting promises that a next run still missing them holds their deletion again. A
// next run missing fewer objects in all (some came back) would fall under the approval threshold and
// delete them outright, against that decision: such contracts are held again whatever the share.
// The same holds before any decision: deletions held for approval wait for a person's Approve or Reject,
// and a later run that misses fewer objects in all holds them again rather than deleting them unreviewed
// (an object that comes back is released by its page, as any held contract seen again).
import type { ContractState } from './contracts';

const REJECTED_BY = 'Deletion rejected by';

/** What a rejected deletion's contracts say (their lastError). */
export function rejectedDeletionNote(by: string, on: Date): string {
  return `${REJECTED_BY} ${by} on ${on.toISOString().slice(0, 10)}`;
}

/** A contract whose deletion a person rejected, and whose object has not been written since. */
export function deletionWasRejected(contract: ContractState): boolean {
  return (
    contract.status === 'synced' &&
    contract.lastAction === 'hold' &&
    (contract.lastError?.startsWith(REJECTED_BY) ?? false)
  );
}

/** A contract whose deletion waits for a person: held for approval and undecided, or rejected. */
export function awaitsDecision(contract: ContractState): boolean {
  return contract.status === 'held' || deletionWasRejected(contract);
}

/** Why a run holds again a deletion that awaits a decision (the log's line and the contract's note). */
export function heldAgainReason(contract: ContractState): string {
  if (contract.status === 'held')
    return `Still held for approval, undecided: ${lowerFirst(contract.lastError ?? 'held by an earlier run')}`;
  return `Held for approval again: gone from the source, and ${lowerFirst(contract.lastError!)}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
