// What one decided object amounts to once the target answered: the count it adds to the page's, the
// contract state to store and the log entry (run-page.ts settles each decision of a page with it), and
// whether it is left with a contract of its own (RunCounts.withContract, which deletion planning trusts).
import type { RunEntry, TargetRefusal } from '../ports';
import type { ContractState } from './contracts';
import type { Decision } from './one-way';
import type { RunCounts } from './run-result';
import { contractAfterWrite, isRewrite, type WriteAnswer } from './write-results';

// Not knowing what happened is no refusal of the object: tried again next run.
const NO_ANSWER: WriteAnswer = {
  ok: false,
  reason: 'The target did not answer for this object',
  transient: true,
};

/**
 * What one decision amounts to: the count it adds, the contract state to store and the log entry.
 * `answers` is null in test mode, where writes are only listed with the object they would send.
 */
export function settle(
  decision: Decision,
  answers: ReadonlyMap<string, WriteAnswer> | null,
  times: { readonly checkedAt: Date; readonly now: Date },
  foreseen: ReadonlyMap<string, TargetRefusal> | null = null,
): { count: keyof RunCounts; state?: ContractState | null; entry?: RunEntry } {
  switch (decision.action) {
    case 'skip':
      if (decision.doneInThisRun === 'create') return { count: 'created' };
      if (decision.doneInThisRun === 'update') return { count: 'updated' };
      if (decision.doneInThisRun === 'rewrite') return { count: 'rewritten' };
      if (decision.doneInThisRun === 'reject') return { count: 'failed' };
      return { count: 'skipped', state: decision.contract };
    case 'filtered':
      return { count: 'filtered', state: decision.contract };
    case 'invalid': {
      const entry: RunEntry = { originId: decision.originId, action: 'invalid', reason: decision.reason };
      return { count: 'invalid', state: decision.contract, entry };
    }
    case 'create':
    case 'update': {
      const count = decision.action === 'create' ? 'created' : 'updated';
      const { originId } = decision;
      if (answers === null) {
        const refusal = foreseen?.get(originId);
        if (refusal) {
          const refused = refusal.invalid ? 'invalid' : 'failed';
          return { count: refused, entry: { originId, action: refused, reason: refusal.reason } };
        }
        // A dry run cannot ask the target; it foresees a rewrite when the mapped object hashes to what
        // the target last answered (exact for the register, which answers the hash of what it stores).
        const sent = decision.previous && (decision.previous.sentHash ?? decision.previous.targetHash);
        if (decision.action === 'update' && decision.sentHash === sent) return { count: 'rewritten' };
        return { count, entry: { originId, action: decision.action, reason: null, object: decision.mapped } };
      }
      const answer = answers.get(originId) ?? NO_ANSWER;
      // Update only, and the target has no such object: left alone, and no contract (it is not ours).
      if (!answer.ok && answer.absent) return { count: 'skipped' };
      const state = contractAfterWrite(decision, answer, times);
      if (answer.ok && answer.existing) return { ...foundExisting(originId, answer), state };
      // Gone at its id and written elsewhere: counted as what the target did, and the log says why.
      if (answer.ok && answer.relocated) {
        const { created, reason } = answer.relocated;
        const entry: RunEntry = { originId, action: created ? 'create' : 'update', reason };
        return { count: created ? 'created' : 'updated', state, entry };
      }
      if (answer.ok) return { count: isRewrite(decision, answer) ? 'rewritten' : count, state };
      const refused = answer.invalid ? 'invalid' : 'failed';
      return { count: refused, state, entry: { originId, action: refused, reason: answer.reason } };
    }
  }
}

/**
 * A create the target answered with an object it already held under the key (an SQL row no contract
 * named): not a creation. Taken over, it is an update of what was there; left (insert only), nothing was
 * written. Either way the log says which object it now links to.
 */
function foundExisting(
  originId: string,
  answer: { readonly targetId: string; readonly existing?: 'taken-over' | 'left' },
): { count: keyof RunCounts; entry: RunEntry } {
  if (answer.existing === 'left')
    return {
      count: 'skipped',
      entry: {
        originId,
        action: 'create',
        reason: `the target already held an object with key ${answer.targetId}: insert only left it as it was, and links this object to it`,
      },
    };
  return {
    count: 'updated',
    entry: {
      originId,
      action: 'update',
      reason: `the target already held an object with key ${answer.targetId} that Concord had not written: it was taken over with this object's values (not created)`,
    },
  };
}

/**
 * Whether a decided object is left with a contract of its own that is not deleted (RunCounts.withContract):
 * the state written for it, or, for an object skipped, the contract it has. An update the target did not
 * have (no state) and a repeat or an object without an id (no contract) are not.
 */
export function leftWithContract(decision: Decision, written: ContractState | null | undefined): boolean {
  const contract = written ?? (decision.action === 'skip' ? decision.contract : null);
  return contract !== null && contract.status !== 'deleted';
}
