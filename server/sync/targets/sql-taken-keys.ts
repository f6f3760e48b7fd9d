// What a create at an SQL table does when the table already holds a row under its key. The key is the
// object's own data (an id field), so a row may be there that this object's contract does not name: one
// inserted behind Concord's back, or one another object of the synchronisation wrote. An upsert on the
// key would overwrite it and report "created" — the row's data lost, two objects on one row. Pure.
import type { WriteMode } from '../core/write-mode';
import type { SqlRow } from './sql-rows';

/**
 * - refuse:    the object is not written and fails with the key and the table named (two-way and hub
 *              legs: a row there that Concord never read is a change at that system, not Concord's to
 *              overwrite);
 * - take-over: the row takes the object's values, reported as taken over (a one-way upsert or mirror:
 *              the write mode documents that the table is made to hold the source's objects by key);
 * - leave:     the row stays as it is and the object is linked to it, reported so (insert only).
 * Whatever the policy, a row another object of the synchronisation wrote is never taken.
 */
export type TakenKeyPolicy = 'refuse' | 'take-over' | 'leave';

/** A one-way SQL target's policy, by its write mode. */
export function takenKeyPolicyOf(writeMode: WriteMode): TakenKeyPolicy {
  return writeMode === 'insert-only' ? 'leave' : 'take-over';
}

/**
 * Which of these target ids (keys) an object of the synchronisation holds through its live contract:
 * key → that object's origin id. Asked only about keys the table holds, once per batch.
 */
export type KeyHolders = (targetIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;

export type TakenKeyVerdict =
  | { readonly kind: 'own' }
  | { readonly kind: 'take-over' }
  | { readonly kind: 'leave' }
  | { readonly kind: 'refuse'; readonly reason: string };

/** Another object known to have the key: written by this target in this run, or named by a contract. */
export interface KeyHolder {
  readonly originId: string;
  readonly wroteThisRun: boolean;
}

/** The verdict on a create (or a moved row) whose key the table holds. */
export function judgeTakenKey(
  row: SqlRow,
  policy: TakenKeyPolicy,
  table: string,
  holder: KeyHolder | undefined,
): TakenKeyVerdict {
  if (holder !== undefined && holder.originId !== row.originId)
    return {
      kind: 'refuse',
      reason:
        `another object of this synchronisation ${holder.wroteThisRun ? 'already wrote' : 'holds'} key ` +
        `${row.targetId} in ${table}; this one was not written, so that row stays as it is (give each ` +
        'object its own key)',
    };
  // Its own row, written earlier in this run (a batch sent again): written as an update would be.
  if (holder !== undefined) return { kind: 'own' };
  if (policy === 'take-over') return { kind: 'take-over' };
  if (policy === 'leave') return { kind: 'leave' };
  return {
    kind: 'refuse',
    reason:
      `the table ${table} already holds a row with key ${row.targetId} that Concord has no contract for ` +
      '(written there since Concord last read it): that row was left as it is and this object was not written',
  };
}

/** Two objects of one batch for one row: the later one would silently overwrite the first. */
export const sameRowInBatch = (targetId: string) =>
  `another object of this synchronisation writes the same row (key ${targetId}) in this batch`;

/**
 * A dry run's foresight of a row two objects of the run would write, as the real run meets it: creates
 * and updates come to it in batches of their own (page-writes.ts), so a row taken twice within one is
 * refused as "in this batch", and across them — or across pages, `wrote` holding the rows earlier pages
 * would have written (key text → object) — as one another object already wrote. `keyText`: a key as
 * the target compares keys. The rows that go on, in order, and the refused ones with their reasons.
 */
export function foreseeSharedRows(
  rows: readonly { readonly row: SqlRow; readonly create: boolean }[],
  keyText: (key: readonly unknown[]) => string,
  wrote: ReadonlyMap<string, string>,
  policy: TakenKeyPolicy,
  table: string,
): { kept: { row: SqlRow; create: boolean }[]; refused: { row: SqlRow; reason: string }[] } {
  const kept: { row: SqlRow; create: boolean }[] = [];
  const refused: { row: SqlRow; reason: string }[] = [];
  const taken = new Map<string, { originId: string; create: boolean }>();
  for (const { row, create } of rows) {
    const text = keyText(row.key);
    const first = taken.get(text);
    const writer = first?.originId ?? wrote.get(text);
    const verdict =
      writer !== undefined && writer !== row.originId
        ? judgeTakenKey(row, policy, table, { originId: writer, wroteThisRun: true })
        : null;
    if (first && first.create === create) refused.push({ row, reason: sameRowInBatch(row.targetId) });
    else if (verdict?.kind === 'refuse') refused.push({ row, reason: verdict.reason });
    else {
      taken.set(text, { originId: row.originId, create });
      kept.push({ row, create });
    }
  }
  return { kept, refused };
}
