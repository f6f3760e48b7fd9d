// A deletion a person rejected (the held deletions' Reject): the objects are kept and their contracts say
// who rejected it. Rejecting promises that a next run still missing them holds their deletion again. A
// next run missing fewer objects in all (some came back) would fall under the approval threshold and
// delete them outright, against that decision: such contracts are held again whatever the share.
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

export function heldAgainReason(contract: ContractState): string {
  return `Held for approval again: gone from the source, and ${contract.lastError!.charAt(0).toLowerCase()}${contract.lastError!.slice(1)}`;
}
