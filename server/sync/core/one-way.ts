// Pull and push, one page at a time: each object is prepared (conditions, hash, mapping, the target's
// own mapping and fields) and handed to THE decision table (decide.ts) with its contract, the target
// side unread; what the table says becomes a Decision — create, update, skip, filtered or invalid —
// with the mapped object and the contract's next state. This file decides nothing itself: it only
// makes the table's inputs and records its answers. No I/O happens here.
import type { ConditionsRule } from './conditions';
import { evolveContract, type ContractState } from './contracts';
import {
  decide,
  UNREAD,
  writtenBefore,
  type OneWayDecision,
  type OneWayInput,
  type OneWaySettings,
  type Output,
} from './decide';
import type { IdentifiedItem } from './ids';
import type { CompiledMapping } from './mapping/compile';
import { makeOutput, prepare, type Made, type Prepared } from './prepare';
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
   * A digest of how the target is written to (a REST target's endpoints and methods, an SQL target's table
   * and keys; digestValue, all 64 characters): part of what the contract remembers as sent, so an edit of
   * those sends every object again.
   */
  readonly targetFingerprint?: string | null;
  /**
   * Fields never written to this target (a push subscriber's unsubscribed fields, seed 004): left out of
   * what the target is handed, after the target mapping and before hashing — so a change of only these
   * fields hashes as unchanged and sends nothing.
   */
  readonly omitFields?: readonly string[];
  /** Contracts keep what was sent (sentData): the object, or its field names only (write-results.ts). */
  readonly keepSentObjects?: boolean | 'fields';
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
       * True when the check would be the contract's only change: it is synced already, and the hash
       * covers the whole object, so the origin data it holds is current. Nothing is written for it (the
       * run's ledger holds that it was listed), and `contract` is then the stored state as it is. (A held
       * contract becomes synced; a hash over some fields leaves the rest of the object to store.)
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

/**
 * `prepared`: the page's objects made ready already (by their place on the page, IdentifiedItem.index),
 * where the run needed their hashes before the lookup (run-page.ts); the rest are prepared here.
 */
export function decidePage(
  items: readonly IdentifiedItem[],
  contracts: ReadonlyMap<string, ContractState>,
  context: DecisionContext,
  prepared?: readonly (Prepared | undefined)[],
): Decision[] {
  // The table's settings are the same for every object of the page.
  const table: OneWaySettings = {
    writeMode: context.settings.writeMode,
    force: context.mode.force,
    configChangedAt: context.configChangedAt,
    mappingChangedAt: context.mappingChangedAt,
    checkedAt: context.checkedAt,
  };
  return items.map((item) => decideItem(item, contracts, context, table, prepared?.[item.index]));
}

function decideItem(
  item: IdentifiedItem,
  contracts: ReadonlyMap<string, ContractState>,
  context: DecisionContext,
  table: OneWaySettings,
  ready: Prepared | undefined,
): Decision {
  // No usable id (ids.ts): the table's "unusable" row, with no contract to remember it by.
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
  const { settings, checkedAt } = context;
  const sourceLastChecked = checkedAt;

  const prepared = ready ?? prepare(object, settings);
  const input = new ItemInput(
    previous,
    'hash' in prepared ? { hash: prepared.hash, updatedAt: null } : prepared,
    table,
    object,
    settings,
  );
  const verdict: OneWayDecision = decide(input);

  switch (verdict.do) {
    case 'invalid': {
      const keepData = !('leftOut' in prepared && prepared.keepData === false);
      return rejected(item, previous, verdict.reason, checkedAt, keepData);
    }
    case 'nothing': {
      if (verdict.why === 'filtered') {
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
      const base = previous!;
      if (verdict.why === 'written-this-run') {
        const skip = { action: 'skip', index, originId, parentOriginId, contract: base } as const;
        return { ...skip, onlyChecked: false, doneInThisRun: writtenBefore(base)! };
      }
      const originHash = (prepared as { hash: string }).hash;
      if (verdict.why === 'unchanged') {
        // Synced, and the hash covers the whole object (so the origin data it holds is current): the
        // check would be the contract's only change, and nothing is written — its state is the stored
        // one. Most objects of most runs end here, so no next state is made for them.
        if (settings.hashFields === null && base.status === 'synced')
          return { action: 'skip', index, originId, parentOriginId, contract: base, onlyChecked: true };
        // A rejected version stays rejected, with the target's reason, until it changes.
        const keep = base.status === 'rejected';
        const contract = evolveContract(base, originId, {
          sourceLastChecked,
          status: keep ? 'rejected' : 'synced',
          lastAction: 'skip',
          ...(keep ? {} : { lastError: null }),
          originData: object,
        });
        return { action: 'skip', index, originId, parentOriginId, contract, onlyChecked: false };
      }
      // The output is what the target holds already, or insert only leaves a written object alone. The
      // source did change (its hash differs): the contract says when, as a written change would.
      const contract = evolveContract(base, originId, {
        sourceLastChecked,
        ...(originHash !== base.originHash ? { sourceLastChanged: sourceLastChecked } : {}),
        originHash,
        status: base.status === 'synced' ? 'synced' : base.status,
        lastAction: 'skip',
        originData: object,
      });
      return { action: 'skip', index, originId, parentOriginId, contract, onlyChecked: false };
    }
    case 'to-target': {
      // The table sends an object only after its output was made.
      const { mapped, outputHash, sentHash } = input.make() as Made;
      const originHash = (prepared as { hash: string }).hash;
      const write = {
        index,
        originId,
        parentOriginId,
        source: object,
        mapped,
        originHash,
        outputHash,
        sentHash,
      };
      if (verdict.create) return { action: 'create', previous, ...write };
      if (verdict.ifExists)
        return { action: 'update', targetId: originId, previous, ifExists: true, ...write };
      return { action: 'update', targetId: previous!.targetId!, previous, ...write };
    }
  }
}

/**
 * The table's input for one object, whose output is made at most once and only when the table asks for
 * it. A class, so that `output` is a method on its prototype: two closures per object (and their
 * names, under tsx) cost the unchanged re-run about 4 % of its CPU (bench/, BENCH_PROFILE=1).
 */
class ItemInput implements OneWayInput {
  readonly target = UNREAD;
  private made: Made | { reason: string } | undefined;

  constructor(
    readonly base: ContractState | null,
    readonly source: OneWayInput['source'],
    readonly settings: OneWaySettings,
    private readonly object: Record<string, unknown>,
    private readonly engine: EngineSettings,
  ) {}

  make(): Made | { reason: string } {
    return (this.made ??= makeOutput(this.object, this.engine));
  }

  output(): Output {
    const m = this.make();
    return 'reason' in m ? { ok: false, reason: m.reason } : { ok: true, sentHash: m.sentHash };
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
