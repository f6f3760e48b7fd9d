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
      if (answer.ok) return { count: isRewrite(decision, answer) ? 'rewritten' : count, state };
      const refused = answer.invalid ? 'invalid' : 'failed';
      return { count: refused, state, entry: { originId, action: refused, reason: answer.reason } };
    }
  }
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
