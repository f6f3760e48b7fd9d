// Rows whose object's key changed since Concord wrote them move to the new key: the row is updated by
// its old key (its key columns among the values), instead of a new row at the new key beside the old
// one. A new key another row already holds is that object's refusal, with the database's words.
import type { SqlDialect } from '../sources/sql-dialects';
import { toParam } from './sql-columns';
import type { SqlRow } from './sql-rows';
import { eachOrAlone } from './sql-savepoints';
import type { Session } from './sql-session';
import type { TableInfo } from './sql-table';
import { updateByKeyStatement } from './sql-statements';

/** A row whose object's key changed since it was written: found by its old key. */
export interface Moved {
  readonly row: SqlRow;
  readonly oldKey: readonly unknown[];
}

/** Moves each row to its new key; answers the objects whose row moved. */
export async function moveRows(
  s: Session,
  moved: readonly Moved[],
  o: {
    readonly dialect: SqlDialect;
    readonly keys: readonly string[];
    readonly keyParams: (info: TableInfo, key: readonly unknown[]) => unknown[];
  },
  refuse: (row: SqlRow, reason: string) => void,
): Promise<Set<string>> {
  const done = new Set<string>();
  for (const m of moved) {
    await eachOrAlone(
      s.db,
      [m],
      async () => {
        const types = m.row.columns.map((c) => s.info.columns.get(c)!);
        const result = await s.db.execute(
          updateByKeyStatement({
            dialect: o.dialect,
            table: s.info.quoted,
            columns: m.row.columns,
            keys: o.keys,
          }),
          [...m.row.values.map((v, i) => toParam(o.dialect, types[i]!, v)), ...o.keyParams(s.info, m.oldKey)],
        );
        // The old row is gone: the object is written by its new key like any other.
        if (result.affected > 0) done.add(m.row.originId);
      },
      (one, reason) => refuse(one.row, reason),
    );
  }
  return done;
}
