// The decision engine: for each object of a page, given its contract, decide create, update, skip,
// filtered or invalid, with the mapped object and the contract's next state. No I/O happens here.
//
// In order: conditions (filtered) → the skip rule on the origin hash (unchanged, or a version the target
// rejected) → mapping → the output hash against what the target was last handed (unchanged output: no
// request) → the write mode (insert only leaves written objects alone; update only never creates, it
// updates the target object with the origin's id if there is one) → create or update.
import { hashObject, hashValue } from './canonical-json';
import { evaluateConditions, type ConditionsRule } from './conditions';
import { evolveContract, type ContractState } from './contracts';
import type { IdentifiedItem } from './ids';
import { applyMapping } from './mapping/apply';
import type { CompiledMapping } from './mapping/compile';
import { unsetPath } from './paths';
import { skipVerdict } from './skip-rule';
import type { WriteMode } from './write-mode';

export interface RunMode {
  /** Ignore the skip rule: write every object. */
  readonly force: boolean;
  /** Dry run: decide everything, write nothing (no target, no contract, no deletion). */
  readonly test: boolean;
}

export interface EngineSettings {
  readonly conditions: ConditionsRule;
  /** Left out: upsert. */
  readonly writeMode?: WriteMode;
  /**
   * A second mapping, from the synchronised object to what the target system expects (a REST target's
   * request body): applied after `mapping`, so what the target is handed — and hashed — is final.
   */
  readonly targetMapping?: CompiledMapping | null;
  /**
   * A hash of how the target is written to (a REST target's endpoints and methods, an SQL target's table
   * and keys): part of what the contract remembers as sent, so an edit of those sends every object again.
   */
  readonly targetFingerprint?: string | null;
  /**
   * Fields never written to this target (a push subscriber's unsubscribed fields, seed 004): left out of
   * what the target is handed, after the target mapping and before hashing — so a change of only these
   * fields hashes as unchanged and sends nothing.
   */
  readonly omitFields?: readonly string[];
  /** The target is sent changed fields only: each contract keeps the object last sent (sentData). */
  readonly keepSentObjects?: boolean;
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
      /** The hash of `mapped`: what the target is handed. */
      readonly outputHash: string;
      /** outputHash with the target's fingerprint: what the contract remembers as sent. */
      readonly sentHash: string;
      readonly previous: ContractState | null;
    })
  | (Placed & {
      readonly action: 'update';
      readonly targetId: string;
      readonly source: Record<string, unknown>;
      readonly mapped: Record<string, unknown>;
      readonly originHash: string;
      readonly outputHash: string;
      readonly sentHash: string;
      /** Null only for update only without a contract: the target object with the origin's id, if any. */
      readonly previous: ContractState | null;
      /** Update only: the target object may not exist, and then nothing is created. */
      readonly ifExists?: true;
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
      readonly doneInThisRun?: 'create' | 'update' | 'rewrite' | 'reject';
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
    // sourceLastChecked is the run's fixed start, and one sync never has two runs at once: a contract
    // checked at this very moment was written by this run (a page retried after its writes committed).
    if (previous.sourceLastChecked?.getTime() === sourceLastChecked.getTime()) {
      const done = doneBefore(previous);
      if (done) {
        const skip = { action: 'skip', index, originId, parentOriginId, contract: previous } as const;
        return { ...skip, onlyChecked: false, doneInThisRun: done };
      }
    }
    // A rejected version stays rejected, with the target's reason, until it changes.
    const keep = previous.status === 'rejected';
    const contract = evolveContract(previous, originId, {
      sourceLastChecked,
      status: keep ? 'rejected' : 'synced',
      lastAction: 'skip',
      ...(keep ? {} : { lastError: null }),
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
  if (context.settings.targetMapping) {
    const outcome = applyMapping(context.settings.targetMapping, mapped);
    if (!outcome.ok) {
      const problems = outcome.errors.map((e) => (e.key ? `${e.key}: ${e.message}` : e.message)).join('; ');
      const reason = `The target mapping could not make the object: ${problems}`;
      return rejected(item, previous, reason, context.checkedAt);
    }
    mapped = outcome.value;
  }
  const omit = context.settings.omitFields;
  if (omit && omit.length > 0) mapped = withoutFields(mapped, omit);
  const outputHash = hashOrReason(mapped, null);
  if (typeof outputHash !== 'string') return rejected(item, previous, outputHash.reason, context.checkedAt);
  const fingerprint = context.settings.targetFingerprint;
  const sentHash = fingerprint ? hashValue([outputHash, fingerprint]) : outputHash;
  const write = { index, originId, parentOriginId, source: object, mapped, originHash, outputHash, sentHash };
  const mode = context.settings.writeMode ?? 'upsert';

  if (previous?.targetId && previous.status !== 'deleted') {
    // The target already holds this output (the source changed in what the mapping leaves out, or the
    // sync was edited without changing what it writes): no request.
    const sent = previous.sentHash ?? previous.targetHash;
    const unchanged = !context.mode.force && previous.status === 'synced' && sent === sentHash;
    if (unchanged || mode === 'insert-only') {
      const contract = evolveContract(previous, originId, {
        sourceLastChecked,
        originHash,
        status: previous.status === 'synced' ? 'synced' : previous.status,
        lastAction: 'skip',
        originData: object,
      });
      return { action: 'skip', index, originId, parentOriginId, contract, onlyChecked: false };
    }
    return { action: 'update', targetId: previous.targetId, previous, ...write };
  }
  // Update only never creates: it updates the target object that has the origin's id, if there is one.
  if (mode === 'update-only')
    return { action: 'update', targetId: originId, previous, ifExists: true, ...write };
  return { action: 'create', previous, ...write };
}

/** A copy without the fields at these dot paths (`mapped` may be the source object itself). */
function withoutFields(object: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(object);
  for (const path of paths) unsetPath(copy, path);
  return copy;
}

/** What this run already did with a contract it checked (see the skip above), if anything. */
function doneBefore(previous: ContractState): 'create' | 'update' | 'rewrite' | 'reject' | null {
  const done = previous.lastAction;
  if (done !== 'create' && done !== 'update' && done !== 'rewrite') return null;
  if (previous.status === 'synced') return done;
  return previous.status === 'rejected' ? 'reject' : null;
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
