// Rows whose key the database gives (an identity or serial column, AUTO_INCREMENT): a create of an
// object without a value for the key column is inserted without it, and the key the database gave the
// row becomes the object's target id — so a table whose ids the database assigns can be pushed to, and
// written back to by a two-way synchronisation ("add to the source"). One statement per row: PostgreSQL
// answers each row's key (`RETURNING`), MySQL/MariaDB as the statement's insert id, and neither promises
// which key goes with which row of a multi-row insert. A row the table refuses fails alone (savepoints).
//
// Such a create cannot be repeated by its key, so it is written ahead (targets/create-intents.ts): a
// create interrupted after its row was committed (the process died before its contract was saved) finds
// the row it wrote by what it wrote — every column's value — instead of inserting it a second time.
import type { SqlDialect } from '../sources/sql-dialects';
import type { FoundExisting } from './create-intents';
import { toParam } from './sql-columns';
import type { UnkeyedRow } from './sql-rows';
import { eachOrAlone } from './sql-savepoints';
import type { Session } from './sql-session';
import { insertGeneratedStatement, rowsHoldingStatement } from './sql-statements';

/** Inserts each row; answers the key the database gave each one that landed, as text (its target id). */
export async function insertGenerated(
  s: Session,
  dialect: SqlDialect,
  key: string,
  rows: readonly UnkeyedRow[],
  refuse: (row: UnkeyedRow, reason: string) => void,
): Promise<Map<string, string>> {
  const given = new Map<string, string>();
  await eachOrAlone(
    s.db,
    rows,
    async (chunk) => {
      for (const row of chunk) {
        const types = row.columns.map((c) => s.info.columns.get(c)!);
        const result = await s.db.execute(
          insertGeneratedStatement({ dialect, table: s.info.quoted, columns: row.columns, key }),
          row.values.map((value, i) => toParam(dialect, types[i]!, value)),
        );
        const value = (dialect === 'postgres' ? result.rows[0]?.[key] : result.insertId) as
          string | number | null | undefined;
        // Not a fault of this row: the batch fails as a whole (tried again next run), nothing half-linked.
        if (value === undefined || value === null || value === 0)
          throw new Error(`the database gave no value for the key column "${key}" of a new row`);
        given.set(row.originId, String(value));
      }
    },
    (row, reason) => {
      given.delete(row.originId);
      refuse(row, reason);
    },
  );
  return given;
}

/** Column kinds SQL cannot compare with `=` as written (json, arrays, xml and other types of their own). */
const UNCOMPARABLE = new Set(['json', 'array', 'other']);

/** The row an interrupted create of `row` wrote, found by every value it wrote that SQL can compare. */
export async function findGenerated(
  s: Session,
  dialect: SqlDialect,
  key: string,
  row: UnkeyedRow,
): Promise<FoundExisting> {
  const compared = row.columns
    .map((name, i) => ({ name, value: row.values[i], column: s.info.columns.get(name)! }))
    .filter((c) => !UNCOMPARABLE.has(c.column.kind));
  if (compared.length === 0)
    return {
      kind: 'unaskable',
      why: `the table's key "${key}" is given by the database, and no column written can be compared`,
    };
  const statement = rowsHoldingStatement({
    dialect,
    table: s.info.quoted,
    key,
    columns: compared.map((c) => ({ name: c.name, isNull: c.value === null || c.value === undefined })),
    limit: 100,
  });
  const params = compared
    .filter((c) => c.value !== null && c.value !== undefined)
    .map((c) => toParam(dialect, c.column, c.value));
  const found = await s.db.execute(statement, params);
  if (found.rows.length === 0) return { kind: 'none' };
  if (found.rows.length > 1)
    return { kind: 'many', count: found.rows.length, field: 'values in every column written' };
  return { kind: 'one', targetId: String(found.rows[0]![key]), targetHash: row.hash };
}
