// What a person decided about deletions held for approval, as their contracts record it (lastError):
// - none yet: a held deletion waits for Approve or Reject, and a later run that misses fewer objects in all
//   (some came back, so the share falls under the threshold) holds it again rather than deleting it
//   unreviewed; an object that comes back is released by its page, as any held contract seen again;
// - rejected: the objects are kept, and a next run still missing them holds their deletion again,
//   whatever the share;
// - approved: the contracts held at that moment are marked for the approval run, which deletes those only.
import type { ContractState } from './contracts';

const REJECTED_BY = 'Deletion rejected by';
// Approving marks the contracts held at that moment for the approval run it requests, which deletes
// those only: a run still under way when the person approved (or one between the approval and its run)
// may hold more, which nobody has reviewed.
const APPROVED_IN = 'Deletion approved in run ';

/** What an approved deletion's contracts say (their lastError) until the approval run deletes them. */
export function approvedDeletionPrefix(runId: string): string {
  return `${APPROVED_IN}${runId}. `;
}

/** A held contract a person approved deleting, waiting for its approval run. */
export function deletionWasApproved(contract: ContractState): boolean {
  return contract.status === 'held' && (contract.lastError?.startsWith(APPROVED_IN) ?? false);
}

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
  if (deletionWasApproved(contract))
    return `Held for its approval run: gone from the source, and ${lowerFirst(contract.lastError!)}`;
  if (contract.status === 'held')
    return `Still held for approval, undecided: ${lowerFirst(contract.lastError ?? 'held by an earlier run')}`;
  return `Held for approval again: gone from the source, and ${lowerFirst(contract.lastError!)}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
