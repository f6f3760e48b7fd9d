// The skip rule's every combination, for holding the SQL that asks it of stored contracts (page memos'
// check, stores/page-memos.ts; the lookup's skip check, stores/contract-store.ts) to the engine itself.
import { hashObject } from '@/server/sync/core/canonical-json';
import type { ContractState } from '@/server/sync/core/contracts';
import { identifyObjects } from '@/server/sync/core/ids';
import { decidePage, type DecisionContext } from '@/server/sync/core/one-way';
import { at, state } from './contract-store-fixture';

export const configChangedAt = at(10);
export const checkedAt = at(30);
export const decision: DecisionContext = {
  settings: { conditions: null, mapping: null, hashFields: null },
  mode: { force: false, test: false },
  configChangedAt,
  mappingChangedAt: null,
  checkedAt,
};

// Everything the rule reads, each with the values on both sides of its line.
const STATUSES = ['synced', 'held', 'rejected', 'failed', 'invalid', 'deleted', 'quarantined'] as const;
const CHECKED = [null, at(5), configChangedAt, at(15), at(20), checkedAt] as const;
const MAPPING_EDITED = [null, at(15), at(25)] as const;
const TARGET_IDS = [null, '', 'obj_1'] as const;
const TARGET_HASHES = [null, '', 'target-hash'] as const;
// null: a contract from before last actions were recorded, which the engine reads as a create.
const ACTIONS = ['create', 'skip', null] as const;

export type SkipRuleCase = { object: Record<string, unknown>; contract: ContractState; mapping: Date | null };

/** The later of the synchronisation's edit and its mapping's (what a check is asked with). */
export const editedAtOf = (mapping: Date | null) =>
  new Date(Math.max(configChangedAt.getTime(), mapping?.getTime() ?? 0));

/** A one-object page per combination of what the rule reads (`actions`: the last actions tried). */
export function skipRuleCases(
  actions: readonly (ContractState['lastAction'] | null)[] = ACTIONS,
): SkipRuleCase[] {
  const cases: SkipRuleCase[] = [];
  for (const status of STATUSES)
    for (const sameHash of [true, false])
      for (const checked of CHECKED)
        for (const mapping of MAPPING_EDITED)
          for (const targetId of TARGET_IDS)
            for (const targetHash of TARGET_HASHES)
              for (const lastAction of actions) {
                const id = `o-${cases.length}`;
                const object = { id, name: `Thing ${cases.length}` };
                const hash = hashObject(object);
                const originHash = sameHash ? hash : hashObject({ ...object, name: 'before' });
                const contract = state(id, {
                  status,
                  originHash,
                  sourceLastChecked: checked,
                  targetId,
                  targetHash,
                  lastAction: lastAction as ContractState['lastAction'],
                });
                cases.push({ object, contract, mapping });
              }
  return cases;
}

/**
 * Whether the engine skips the object with nothing to write, given its contract as a run reads it (none:
 * not found): what a check may call clean, and nothing else.
 */
export function engineSkips(
  object: Record<string, unknown>,
  contracts: readonly ContractState[],
  context: { mapping: Date | null; checkedAt?: Date },
): boolean {
  const items = identifyObjects([object], 'id');
  const decided = decidePage(items, new Map(contracts.map((c) => [c.originId, c])), {
    ...decision,
    mappingChangedAt: context.mapping,
    checkedAt: context.checkedAt ?? checkedAt,
  })[0];
  return decided?.action === 'skip' && decided.onlyChecked && !decided.doneInThisRun;
}
