// The statements that write an SQL target's keyed rows, inside the batch's transaction: multi-row
// upserts, rows grouped by their columns (sql-statements.ts), and the moves of rows whose object's key
// changed since Concord wrote them — updated by the old key (the key columns among the values) instead
// of a new row at the new key beside the old one. A row whose values break a statement (a constraint, a
// type, a new key another row holds) is that object's refusal, with the database's words.
import type { SqlDialect } from '../sources/sql-dialects';
import { toParam } from './sql-columns';
import type { SqlRow } from './sql-rows';
import { eachOrAlone } from './sql-savepoints';
import type { Session } from './sql-session';
import type { TableInfo } from './sql-table';
import type { TableColumn } from './sql-columns';
import { withRefusedColumn } from './sql-refused-column';
import { byShape } from './sql-rows';
import { rowsPerStatement, updateByKeyStatement, upsertStatement, type UpsertShape } from './sql-statements';

/** A row whose object's key changed since it was written: found by its old key. */
export interface Moved {
  readonly row: SqlRow;
  readonly oldKey: readonly unknown[];
}

/** The table's dialect and key columns, and the key's values as bound parameters. */
export interface RowWriteShape {
  readonly dialect: SqlDialect;
  readonly keys: readonly string[];
  readonly keyParams: (info: TableInfo, key: readonly unknown[]) => unknown[];
}

/** Upserts the rows, statements as large as the parameter limit allows; `onConflict` as upsertStatement's. */
export async function upsertRows(
  s: Session,
  rows: readonly SqlRow[],
  o: RowWriteShape,
  refused: (row: SqlRow, reason: string) => void,
  onConflict: UpsertShape['onConflict'],
): Promise<void> {
  const { db, info } = s;
  const compareAsText = new Set(
    [...info.columns.values()].filter((c) => c.type === 'json' || c.type === 'xml').map((c) => c.name),
  );
  for (const group of byShape(rows)) {
    const columns = group[0]!.columns;
    const types = columns.map((c) => info.columns.get(c)!);
    const per = rowsPerStatement(columns.length);
    for (let i = 0; i < group.length; i += per) {
      await eachOrAlone(
        db,
        group.slice(i, i + per),
        async (chunk) => {
          const statement = upsertStatement({
            dialect: o.dialect,
            table: info.quoted,
            columns,
            keys: o.keys,
            rows: chunk.length,
            onConflict,
            compareAsText,
            overriding: types.some((t) => t.alwaysGenerated),
          });
          await db.execute(
            statement,
            chunk.flatMap((row) => row.values.map((v, c) => toParam(o.dialect, types[c]!, v))),
          );
        },
        (row, reason) => refused(row, namingColumn(o.dialect, row, types, reason)),
      );
    }
  }
}

/** Moves each row to its new key; answers the objects whose row moved. */
export async function moveRows(
  s: Session,
  moved: readonly Moved[],
  o: RowWriteShape,
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
      (one, reason) => {
        const types = one.row.columns.map((c) => s.info.columns.get(c)!);
        refuse(one.row, namingColumn(o.dialect, one.row, types, reason));
      },
    );
  }
  return done;
}

/** PostgreSQL's refusal of a value, with its column named (sql-refused-column.ts); MySQL's names it. */
function namingColumn(
  dialect: SqlDialect,
  row: SqlRow,
  types: readonly TableColumn[],
  reason: string,
): string {
  if (dialect !== 'postgres') return reason;
  return withRefusedColumn(
    reason,
    row.columns.map((column, i) => ({
      column,
      param: toParam(dialect, types[i]!, row.values[i]),
      text: types[i]!.kind === 'text',
    })),
  );
}
