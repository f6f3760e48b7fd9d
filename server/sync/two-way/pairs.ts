// Carrying out a batch of two-way decisions: the writes on each side (register first, then the source),
// reading back what the source now holds, and what the contracts, conflicts and log remember of it.
// The decisions themselves are core/decide.ts; this file only does what they say, in steps:
//   sort-decisions.ts  what is done with at once (quarantine, flap breaker, conflicts, holds), the rest
//                      sorted into each side's writes;
//   preview.ts         a test run: the writes logged, none made;
//   register-writes.ts, source-writes.ts, deletions.ts: the writes, and what each answer leaves;
// then the contract states are saved, and conflicts whose sides now agree are closed.
import type { RunMode } from '../core/one-way';
import type { CompiledMapping } from '../core/mapping/compile';
import { decide as decideTable, type PairDecision } from '../core/decide';
import type { TwoWaySettings } from '../core/two-way/settings';
import type { ChangeOrigin, RunEntry, TargetPort } from '../ports';
import { startBatch } from './batch';
import { deleteAtSource, deleteInRegister } from './deletions';
import type { PairContract, PairStore } from './pair-store';
import { previewWrites } from './preview';
import type { RegisterObject } from './register-side';
import { writeRegister } from './register-writes';
import { sortDecisions } from './sort-decisions';
import { writeSource } from './source-writes';
import type { SideTally } from './tally';
import { updatedAtOf } from './updated-at';
import type { SourceOwnFields, SqlCarried } from './source-own-fields';
import type { WriteBack } from './write-back';

export interface TwoWayContext {
  readonly runId: string;
  /** Where the source keeps an object's id (a dot path). */
  readonly idField: string;
  readonly syncId: string;
  readonly mode: RunMode;
  readonly checkedAt: Date;
  readonly twoWay: TwoWaySettings;
  readonly hashFields: readonly string[] | null;
  /** Register object → the source's shape (null: written as it is). */
  readonly reverse: CompiledMapping | null;
  /** Source object → the register's shape (null or absent: taken as it is); given-fields.ts. */
  readonly forward?: CompiledMapping | null;
  /** When that mapping was last edited (null: none); see `decide`. */
  readonly mappingEditedAt?: Date | null;
  /** What an update that replaces the source's object keeps as the source holds it (source-own-fields.ts). */
  readonly sourceOwnFields: SourceOwnFields;
  /** The columns an SQL write-back carries, emptied when the register removed their field (source-own-fields.ts). */
  readonly sqlCarried?: SqlCarried;
  /** The register write's origin: the source system, so the hub never sends it back there. */
  readonly origin: ChangeOrigin;
  /**
   * Deletions on both sides follow the synchronisation's policy. A soft delete at the source leaves the
   * object listed, marked: it is read back, and the tombstone keeps its hash, so it is not taken for
   * an object that came back (core/decide.ts).
   */
  readonly deletionPolicy: 'none' | 'soft' | 'hard';
}

export interface TwoWayPorts {
  readonly pairs: PairStore;
  readonly register: TargetPort;
  readonly writeBack: WriteBack;
}

/** One object as both sides hold it now. */
export interface Pair {
  /** The source's id; null for an object only the register holds. */
  readonly originId: string | null;
  readonly source: Record<string, unknown> | null;
  readonly sourceHash: string | null;
  /** The source's version through the mapping: the register's shape. */
  readonly mapped: Record<string, unknown> | null;
  readonly mappedHash: string | null;
  readonly contract: PairContract | null;
  readonly target: RegisterObject | null;
  /** Paired by the matching field on a first run. */
  readonly matched?: boolean;
  /** An open conflict waits for this object: nothing is written until a person resolves it. */
  readonly inConflict?: boolean;
}

/** What the table (core/decide.ts) says for one pair: the contract is its base, each side its hash and date. */
export function decide(ctx: TwoWayContext, pair: Pair): PairDecision {
  const dates = updatedAtOf(ctx, pair);
  const c = pair.contract;
  const edited = editedSince(ctx.mappingEditedAt, c?.sourceLastChecked);
  const table = (sourceReadsAsBefore: boolean) =>
    decideTable({
      base:
        c === null
          ? null
          : {
              sourceHash: sourceReadsAsBefore ? c.originHash : MAPPING_EDITED,
              targetHash: c.targetBaseHash,
              sourceWritten: sourceReadsAsBefore ? c.originSentHash : MAPPING_EDITED,
              deleted: c.status === 'deleted',
            },
      source: pair.sourceHash === null ? null : { hash: pair.sourceHash, updatedAt: dates.source },
      target: pair.target ? { hash: pair.target.hash, updatedAt: dates.target } : null,
      same: pair.target !== null && pair.mappedHash !== null && pair.mappedHash === pair.target.hash,
      settings: ctx.twoWay,
    });
  const decision = table(true);
  // Changed in the register since the last run, and the mapping edited since: the register's version
  // would go to the source through the new write-back mapping, which may carry a field the register never
  // had (`tel` from a `phone` the edit only now brings in) and erase it there. The edit changed how the
  // source reads as well: both sides changed, settled as such (a conflict for a person, by default).
  if (edited && decision.do === 'to-source' && 'why' in decision && decision.why === 'target-changed')
    return table(false);
  // Neither side changed, yet they differ, and the mapping was edited since the contract last saw them
  // in step: the edit set them apart (a field added, renamed, cast). It is the person's word on how the
  // source's objects read in the register, so the source's version through it goes there — not the
  // register's older shape to the source, which would erase there what the edit brings in (a register
  // that is the source of truth only breaks ties between the objects' own versions).
  if ('why' in decision && decision.why === 'apart' && edited)
    return { do: 'to-target', create: false, why: 'mapping-edited' };
  return decision;
}

/** No hash of a source object: the source counts as changed against it. */
const MAPPING_EDITED = 'mapping-edited';

/** An edit at the very millisecond of the check counts as newer, as in the skip rule. */
function editedSince(editedAt: Date | null | undefined, checked: Date | null | undefined): boolean {
  return !!editedAt && !!checked && editedAt.getTime() >= checked.getTime();
}

/** One object and what the table decided for it. */
export type Decided = { pair: Pair; decision: PairDecision };

/**
 * Writes what the decisions say, and records it. `allowDeletes` says per side whether this run may
 * delete there (the threshold hold was planned before): a deletion it may not make is held.
 */
export async function carryOut(
  ctx: TwoWayContext,
  ports: TwoWayPorts,
  decided: readonly Decided[],
  page: number,
  allowDeletes: { readonly register: boolean; readonly source: boolean },
): Promise<{ tally: SideTally; entries: RunEntry[]; createdAtSource: string[] }> {
  const batch = startBatch(ctx, ports, page);
  const writes = await sortDecisions(batch, decided, allowDeletes);
  if (ctx.mode.test) {
    previewWrites(batch, writes);
    return { tally: batch.tally, entries: batch.entries, createdAtSource: [] };
  }
  await writeRegister(batch, writes.register.creates, writes.register.updates);
  const createdAtSource = await writeSource(batch, writes.source.creates, writes.source.updates);
  await deleteInRegister(batch, writes.register.deletes);
  await deleteAtSource(batch, writes.source.deletes);
  await ports.pairs.save(batch.states);
  if (batch.agreed.length > 0) await ports.pairs.closeAgreed(batch.agreed, ctx.runId);
  return { tally: batch.tally, entries: batch.entries, createdAtSource };
}
