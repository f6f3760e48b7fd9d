// The decision engine: for each object of a page, given its contract, decide create, update, skip,
// filtered or invalid, with the mapped object and the contract's next state. No I/O happens here.
import { hashObject } from './canonical-json';
import { evaluateConditions, type ConditionsRule } from './conditions';
import { evolveContract, type ContractState } from './contracts';
import type { IdentifiedItem } from './ids';
import { applyMapping } from './mapping/apply';
import type { CompiledMapping } from './mapping/compile';
import { skipVerdict } from './skip-rule';

export interface RunMode {
  /** Ignore the skip rule: write every object. */
  readonly force: boolean;
  /** Dry run: decide everything, write nothing (no target, no contract, no deletion). */
  readonly test: boolean;
}

export interface EngineSettings {
  readonly conditions: ConditionsRule;
  readonly mapping: CompiledMapping | null;
  /** Hash only these source paths (so a volatile field does not force updates); null hashes everything. */
  readonly hashFields: readonly string[] | null;
}

export interface DecisionContext {
  readonly settings: EngineSettings;
  readonly mode: RunMode;
  readonly configChangedAt: Date;
  readonly mappingChangedAt: Date | null;
  /** When this run loaded its configuration; recorded as sourceLastChecked (see skip-rule.ts). */
  readonly checkedAt: Date;
}

interface Placed {
  readonly index: number;
  readonly originId: string;
  /** Set for sub-objects: the origin id of the object they were found in. */
  readonly parentOriginId: string | null;
}

export type Decision =
  | (Placed & {
      readonly action: 'create';
      readonly source: Record<string, unknown>;
      readonly mapped: Record<string, unknown>;
      readonly originHash: string;
      readonly previous: ContractState | null;
    })
  | (Placed & {
      readonly action: 'update';
      readonly targetId: string;
      readonly source: Record<string, unknown>;
      readonly mapped: Record<string, unknown>;
      readonly originHash: string;
      readonly previous: ContractState;
    })
  | (Placed & {
      readonly action: 'skip';
      readonly contract: ContractState;
      /**
       * True when recording the check is the contract's only change: it is synced already, and the hash
       * covers the whole object, so the origin data it holds is current. (A held contract becomes synced;
       * a hash over some fields leaves the rest of the object to store.)
       */
      readonly onlyChecked: boolean;
      /**
       * Set when this very run already wrote the object: a page retried after its writes committed
       * finds its own contracts. Nothing is written again, and the run counts what it did.
       */
      readonly doneInThisRun?: 'create' | 'update' | 'rewrite';
    })
  | (Placed & { readonly action: 'filtered'; readonly contract: ContractState | null })
  | {
      readonly action: 'invalid';
      readonly index: number;
      readonly originId: string | null;
      readonly reason: string;
      /** The contract's next state; null when there is no id or the id repeats an earlier object. */
      readonly contract: ContractState | null;
    };

export type DecisionAction = Decision['action'];

export function decidePage(
  items: readonly IdentifiedItem[],
  contracts: ReadonlyMap<string, ContractState>,
  context: DecisionContext,
): Decision[] {
  return items.map((item) => decideItem(item, contracts, context));
}

function decideItem(
  item: IdentifiedItem,
  contracts: ReadonlyMap<string, ContractState>,
  context: DecisionContext,
): Decision {
  if (!item.ok) {
    return {
      action: 'invalid',
      index: item.index,
      originId: item.originId,
      reason: item.reason,
      contract: null,
    };
  }
  // Decisions are built field by field: object spread in this per-object path costs more than the hash.
  const { index, originId, object } = item;
  const parentOriginId = item.parentOriginId ?? null;
  const previous = contracts.get(originId) ?? null;
  const sourceLastChecked = context.checkedAt;

  const conditions = evaluateConditions(context.settings.conditions, object);
  if (!conditions.ok) return rejected(item, previous, conditions.reason, context.checkedAt);
  if (!conditions.pass) {
    // Filtered objects count as seen: they are not deleted, only left out of this run's writes.
    const contract =
      previous &&
      evolveContract(previous, originId, {
        sourceLastChecked,
        status: previous.status,
        lastAction: 'filter',
      });
    return { action: 'filtered', index, originId, parentOriginId, contract };
  }

  const originHash = hashOrReason(object, context.settings.hashFields);
  // Not kept as origin data: what cannot be hashed cannot be stored either (both recurse).
  if (typeof originHash !== 'string')
    return rejected(item, previous, originHash.reason, context.checkedAt, false);
  const verdict = skipVerdict({
    contract: previous,
    originHash,
    configChangedAt: context.configChangedAt,
    mappingChangedAt: context.mappingChangedAt,
    force: context.mode.force,
  });
  if (verdict.skip && previous) {
    // sourceLastChecked is the run's fixed start, and one sync never has two runs at once.
    const done = previous.lastAction;
    if (previous.sourceLastChecked?.getTime() === sourceLastChecked.getTime()) {
      if (done === 'create' || done === 'update' || done === 'rewrite') {
        const skip = { action: 'skip', index, originId, parentOriginId, contract: previous } as const;
        return { ...skip, onlyChecked: false, doneInThisRun: done };
      }
    }
    const contract = evolveContract(previous, originId, {
      sourceLastChecked,
      status: 'synced',
      lastAction: 'skip',
      lastError: null,
      originData: object,
    });
    const onlyChecked = context.settings.hashFields === null && previous.status === 'synced';
    return { action: 'skip', index, originId, parentOriginId, contract, onlyChecked };
  }

  let mapped: Record<string, unknown> = object;
  if (context.settings.mapping) {
    const outcome = applyMapping(context.settings.mapping, object);
    if (!outcome.ok) {
      const reason = `Mapping failed: ${outcome.errors.map((e) => `${e.key}: ${e.message}`).join('; ')}`;
      return rejected(item, previous, reason, context.checkedAt);
    }
    mapped = outcome.value;
  }
  if (previous?.targetId && previous.status !== 'deleted') {
    const targetId = previous.targetId;
    return {
      action: 'update',
      index,
      originId,
      parentOriginId,
      targetId,
      source: object,
      mapped,
      originHash,
      previous,
    };
  }
  return { action: 'create', index, originId, parentOriginId, source: object, mapped, originHash, previous };
}

// Hashing refuses only data nested deeper than any source sends (canonical-json.ts); that one object is
// invalid, not its whole page.
function hashOrReason(object: unknown, fields: readonly string[] | null): string | { reason: string } {
  try {
    return hashObject(object, fields);
  } catch (error) {
    return { reason: `The object cannot be hashed: ${(error as Error).message}` };
  }
}

// An object with an id that cannot be synced: its contract remembers why (and that it was seen).
function rejected(
  item: Extract<IdentifiedItem, { ok: true }>,
  previous: ContractState | null,
  reason: string,
  checkedAt: Date,
  keepData = true,
): Decision {
  const contract = evolveContract(previous, item.originId, {
    sourceLastChecked: checkedAt,
    parentOriginId: item.parentOriginId ?? previous?.parentOriginId ?? null,
    status: 'invalid',
    lastAction: 'reject',
    lastError: reason,
    ...(keepData ? { originData: item.object } : {}),
  });
  return { action: 'invalid', index: item.index, originId: item.originId, reason, contract };
}
