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
