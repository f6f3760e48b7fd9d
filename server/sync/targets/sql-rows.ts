// The row an SQL target writes for one synchronised object: its columns and values, its key (which
// becomes the target id), and the hash of what is written. Pure. An object that cannot become a row of
// this table (no key value, a field the table has no column for, a fraction for a whole-number column)
// is refused here, before any statement.
// Where the database fills the key column (identity, serial, AUTO_INCREMENT) an object without a value
// there is still a row: a create is a new row whose key the database gives (`key: null`), an update
// finds its row by the key its contract holds.
import type { SqlTargetConfig } from '../config/sync-config';
import { hashValue } from '../core/canonical-json';
import { lookupPath } from '../core/paths';
import type { TargetRefusal } from '../ports';
import { fractionRefusal, type TableColumn } from './sql-columns';

export interface SqlRow {
  readonly originId: string;
  /** Sorted, so rows of one shape share a statement. */
  readonly columns: readonly string[];
  readonly values: readonly unknown[];
  /** The key columns' values, in the order of the configured key columns. */
  readonly key: readonly unknown[];
  readonly targetId: string;
  readonly hash: string;
}

/** A new row whose key the database gives when it is inserted: no key, no target id yet. */
export interface UnkeyedRow {
  readonly originId: string;
  readonly columns: readonly string[];
  readonly values: readonly unknown[];
  readonly key: null;
  readonly hash: string;
}

export interface RowInput {
  readonly originId: string;
  readonly object: Readonly<Record<string, unknown>>;
  readonly hash?: string;
  /** The row's key as its contract holds it (an update): where the database fills the key, it finds the row. */
  readonly targetId?: string;
  /** The fields the last write of this object set, as its keys (an update; EngineSettings.keepSentObjects). */
  readonly sentBefore?: Readonly<Record<string, unknown>>;
}

/** The target id of a key: the value as text, or a JSON array of the values for several key columns. */
export function targetIdOf(key: readonly unknown[]): string {
  return key.length === 1 ? String(key[0]) : JSON.stringify(key);
}

/**
 * A key as text, for keys compared in JS as the table compares them: MySQL's usual collations ignore
 * trailing spaces, and those named `…_ci` (`folded`, per key column) case too; a binary or case-sensitive
 * key column tells 'abc' from 'ABC', so they are two rows. PostgreSQL compares the values as they are.
 */
export function keyTextOf(
  dialect: 'postgres' | 'mysql',
  folded: readonly boolean[],
  key: readonly unknown[],
): string {
  if (dialect !== 'mysql') return JSON.stringify(key.map((v) => String(v)));
  return JSON.stringify(
    key.map((v, i) => {
      const text = String(v).replace(/ +$/, '');
      return folded[i] ? text.toLowerCase() : text;
    }),
  );
}

/** The key values of a target id written by targetIdOf; null when it is not one. */
export function keyOfTargetId(targetId: string, keyCount: number): unknown[] | null {
  if (keyCount === 1) return [targetId];
  try {
    const parsed: unknown = JSON.parse(targetId);
    return Array.isArray(parsed) && parsed.length === keyCount ? parsed : null;
  } catch {
    return null;
  }
}

export function prepareRow(
  item: RowInput,
  config: SqlTargetConfig,
  columns: ReadonlyMap<string, TableColumn>,
  table: string,
): SqlRow | UnkeyedRow | TargetRefusal {
  const refuse = (reason: string): TargetRefusal => ({ originId: item.originId, ok: false, reason });
  const row = new Map<string, unknown>();
  if (config.columns) {
    for (const [column, path] of Object.entries(config.columns)) {
      const found = lookupPath(item.object, path);
      row.set(column, found.found ? found.value : null);
    }
  } else {
    for (const [field, value] of Object.entries(item.object)) if (value !== undefined) row.set(field, value);
    // A field the last write set and the object no longer has is emptied, as a chosen column whose
    // path finds nothing is: the row says what the object says, not what it said before. Not a key
    // (an update finds its row by it) nor a column the database computes.
    for (const field of Object.keys(item.sentBefore ?? {}))
      if (
        !row.has(field) &&
        !config.keyColumns.includes(field) &&
        columns.has(field) &&
        !columns.get(field)!.generated
      )
        row.set(field, null);
  }
  const active = config.softDelete?.activeValue;
  const chosen = config.columns !== undefined || active !== undefined;
  if (config.softDelete && active !== undefined && !row.has(config.softDelete.column))
    row.set(config.softDelete.column, active);

  const unknown = [...row.keys()].filter((column) => !columns.has(column));
  if (unknown.length > 0) {
    const names = unknown
      .slice(0, 5)
      .map((c) => `"${c}"`)
      .join(', ');
    return refuse(
      config.columns
        ? `the table ${table} has no column ${names}; check the columns of the SQL target`
        : `the table ${table} has no column for the field${unknown.length > 1 ? 's' : ''} ${names}; ` +
            'leave it out with the mapping, or list the columns to write',
    );
  }
  for (const [column, value] of row) {
    const fraction = fractionRefusal(columns.get(column)!, value);
    if (fraction) return refuse(fraction);
  }
  const sorted = [...row.keys()].sort();
  // What is written: the object itself, unless columns were chosen or added (a key the contract holds,
  // put back for an update, is not part of what the object says).
  const hash = chosen
    ? hashValue(Object.fromEntries(sorted.map((column) => [column, row.get(column)])))
    : (item.hash ?? hashValue(item.object));
  const [only] = config.keyColumns;
  const given = row.get(only!);
  if (
    config.keyColumns.length === 1 &&
    columns.get(only!)?.generated &&
    (given === null || given === undefined)
  ) {
    if (item.targetId === undefined) {
      const values = sorted.filter((column) => column !== only).map((column) => row.get(column));
      return { originId: item.originId, columns: sorted.filter((c) => c !== only), values, key: null, hash };
    }
    row.set(only!, item.targetId);
  }
  const key: unknown[] = [];
  for (const column of config.keyColumns) {
    const value = row.get(column);
    if (value === null || value === undefined || value === '')
      return refuse(`the key column "${column}" has no value in this object`);
    if (typeof value === 'object')
      return refuse(`the key column "${column}" holds a list or an object, not a value`);
    key.push(value);
  }
  const written = [...row.keys()].sort();
  const values = written.map((column) => row.get(column));
  return { originId: item.originId, columns: written, values, key, targetId: targetIdOf(key), hash };
}

/** Rows grouped by their columns, so each group can share multi-row statements. */
export function byShape<T extends { readonly columns: readonly string[] }>(rows: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const shape = row.columns.join('\u0000');
    const group = groups.get(shape);
    if (group) group.push(row);
    else groups.set(shape, [row]);
  }
  return [...groups.values()];
}
