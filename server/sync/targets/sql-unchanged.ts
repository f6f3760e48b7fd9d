// Updates and deletions that must not land on a row someone changed since the writer read it (a two-way
// write-back: `unlessChangedFrom`, the hash of the row as the run read it). Inside the batch's
// transaction, before anything is written, the rows are locked by their key (SELECT … FOR UPDATE), then
// read again as the writer reads them (`CurrentHashes`: for a two-way run, the source's own SELECT by id,
// hashed as the run hashes it). A row that holds something else now, or is gone, is not written: it is
// refused as transient and decided again next run, where both sides' changes meet. The lock holds until
// the batch commits, so no change can slip in between the comparison and the write. Comparing hashes of
// the rows as read, not the values in WHERE clauses, spares converting every value back into its column's
// type (a timestamp's precision, a JSON column, MySQL's text or binary protocol), where a value that does
// not convert exactly would make a row look changed forever.
import type { TargetRefusal } from '../ports';
import type { SqlConnection } from '../sources/sql-connect';
import type { SqlDialect } from '../sources/sql-dialects';
import { keyOfTargetId } from './sql-rows';
import type { Session } from './sql-session';
import { existingKeysStatement, rowsPerStatement } from './sql-statements';
import type { TableInfo } from './sql-table';

/**
 * The hash each of these target ids' rows holds now, read on the batch's connection inside its
 * transaction (after the rows are locked); an id without a row is left out.
 */
export type CurrentHashes = (db: SqlConnection, targetIds: readonly string[]) => Promise<Map<string, string>>;

export interface Guarded {
  readonly originId: string;
  /** The row's key as its target id (a create has none, and is not guarded). */
  readonly targetId?: string;
  readonly unlessChangedFrom?: string;
}

export interface UnchangedShape {
  readonly dialect: SqlDialect;
  readonly keys: readonly string[];
  readonly keyParams: (info: TableInfo, key: readonly unknown[]) => unknown[];
}

export const CHANGED_AT_SOURCE =
  'The row changed at the source after this run read it (someone wrote it meanwhile): not written over; ' +
  'it is decided again next run.';
export const GONE_AT_SOURCE =
  'The row was deleted at the source after this run read it: not written again; it is decided again next run.';

/**
 * The refusals of the guarded items whose row moved on, by origin id. `gone`: what a row no longer there
 * means — refused for an update (an upsert would bring it back), passed for a deletion (already done).
 */
export async function refuseChanged(
  s: Session,
  shape: UnchangedShape,
  items: readonly Guarded[],
  current: CurrentHashes | undefined,
  gone: 'refuse' | 'pass',
): Promise<Map<string, TargetRefusal>> {
  const refusals = new Map<string, TargetRefusal>();
  const guarded = items.flatMap((item) => {
    const { targetId, unlessChangedFrom } = item;
    const key =
      unlessChangedFrom === undefined || targetId === undefined
        ? null
        : keyOfTargetId(targetId, shape.keys.length);
    return key && targetId !== undefined ? [{ item, targetId, key }] : [];
  });
  if (!current || guarded.length === 0) return refusals;
  const per = rowsPerStatement(shape.keys.length);
  for (let i = 0; i < guarded.length; i += per) {
    const chunk = guarded.slice(i, i + per);
    await s.db.execute(
      existingKeysStatement({
        dialect: shape.dialect,
        table: s.info.quoted,
        keys: shape.keys,
        rows: chunk.length,
      }),
      chunk.flatMap(({ key }) => shape.keyParams(s.info, key)),
    );
  }
  const hashes = await current(
    s.db,
    guarded.map(({ targetId }) => targetId),
  );
  for (const { item, targetId } of guarded) {
    const now = hashes.get(targetId);
    if (now === item.unlessChangedFrom || (now === undefined && gone === 'pass')) continue;
    const reason = now === undefined ? GONE_AT_SOURCE : CHANGED_AT_SOURCE;
    refusals.set(item.originId, { originId: item.originId, ok: false, reason, transient: true });
  }
  return refusals;
}
