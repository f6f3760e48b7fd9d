// The statements an SQL target runs, built without any value in them: every value is a bound parameter
// (`$n` for PostgreSQL, `?` for MySQL), every name quoted. Pure, so each shape is unit-tested.
//
// Upserts are multi-row. PostgreSQL: `INSERT … ON CONFLICT (keys) DO UPDATE SET … WHERE ROW(old) IS
// DISTINCT FROM ROW(new)`, so a row that already holds the values is not written at all (no new row
// version, no trigger). MySQL/MariaDB: `INSERT … ON DUPLICATE KEY UPDATE c = VALUES(c)`; InnoDB does not
// write a row whose values are unchanged.
import { quoteIdentifier, type SqlDialect } from '../sources/sql-dialects';

/** Bound parameters per statement stay well under both servers' limit of 65,535. */
const MAX_PARAMS = 30_000;
const MAX_ROWS = 500;

/** How many rows one statement carries when each binds `perRow` parameters. */
export function rowsPerStatement(perRow: number): number {
  return Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / Math.max(1, perRow))));
}

/** `"crm"."people"` / `` `crm`.`people` ``. */
export function quoteTable(dialect: SqlDialect, parts: readonly string[]): string {
  return parts.map((part) => quoteIdentifier(dialect, part)).join('.');
}

/** `count` placeholders from parameter `first` (1-based), grouped `per` to a tuple. */
function tuples(dialect: SqlDialect, first: number, count: number, per: number): string {
  const groups: string[] = [];
  for (let row = 0; row < count; row++) {
    const cells: string[] = [];
    for (let i = 0; i < per; i++) cells.push(dialect === 'postgres' ? `$${first + row * per + i}` : '?');
    groups.push(`(${cells.join(', ')})`);
  }
  return groups.join(', ');
}

/** `k IN ($1, $2)`, or `(k1, k2) IN (($1, $2), ($3, $4))` for a key of several columns. */
function keyMatch(dialect: SqlDialect, keys: readonly string[], rows: number, first: number): string {
  const q = (name: string) => quoteIdentifier(dialect, name);
  if (keys.length === 1) {
    const list = tuples(dialect, first, rows, 1).replace(/[()]/g, '');
    return `${q(keys[0]!)} IN (${list})`;
  }
  return `(${keys.map(q).join(', ')}) IN (${tuples(dialect, first, rows, keys.length)})`;
}

export interface UpsertShape {
  readonly dialect: SqlDialect;
  /** Quoted (quoteTable). */
  readonly table: string;
  /** In parameter order; the key columns among them. */
  readonly columns: readonly string[];
  readonly keys: readonly string[];
  readonly rows: number;
  /**
   * `update`: an existing row takes the new values; `nothing`: it is left as it is (insert only); `fail`:
   * a plain INSERT, which an existing row fails (a key taken since it was found free).
   */
  readonly onConflict: 'update' | 'nothing' | 'fail';
  /** Columns compared as text, as their type has no equality (PostgreSQL `json`). */
  readonly compareAsText?: ReadonlySet<string>;
  /** PostgreSQL: a column among them is `GENERATED ALWAYS AS IDENTITY`, written all the same. */
  readonly overriding?: boolean;
}

export function upsertStatement(s: UpsertShape): string {
  const q = (name: string) => quoteIdentifier(s.dialect, name);
  const overriding = s.overriding && s.dialect === 'postgres' ? ' OVERRIDING SYSTEM VALUE' : '';
  const insert = `INSERT INTO ${s.table}${s.dialect === 'postgres' ? ' AS t' : ''} (${s.columns.map(q).join(', ')})${overriding} VALUES ${tuples(s.dialect, 1, s.rows, s.columns.length)}`;
  if (s.onConflict === 'fail') return insert;
  const rest = s.columns.filter((c) => !s.keys.includes(c));
  if (s.dialect === 'mysql') {
    // A no-op assignment is MySQL's "do nothing" that still reports the row (INSERT IGNORE would also
    // swallow NOT NULL and type errors, turning refusals into silently altered rows).
    const set =
      s.onConflict === 'nothing' || rest.length === 0
        ? `${q(s.keys[0]!)} = ${q(s.keys[0]!)}`
        : rest.map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ');
    return `${insert} ON DUPLICATE KEY UPDATE ${set}`;
  }
  const conflict = `ON CONFLICT (${s.keys.map(q).join(', ')})`;
  if (s.onConflict === 'nothing' || rest.length === 0) return `${insert} ${conflict} DO NOTHING`;
  const side = (alias: string, c: string) =>
    s.compareAsText?.has(c) ? `${alias}.${q(c)}::text` : `${alias}.${q(c)}`;
  const set = rest.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ');
  const old = rest.map((c) => side('t', c)).join(', ');
  const incoming = rest.map((c) => side('EXCLUDED', c)).join(', ');
  return `${insert} ${conflict} DO UPDATE SET ${set} WHERE ROW(${old}) IS DISTINCT FROM ROW(${incoming})`;
}

/**
 * One new row whose key the database gives: PostgreSQL answers it (`RETURNING`); MySQL/MariaDB report
 * it as the statement's insert id (one row per statement, so the id is that row's).
 */
export function insertGeneratedStatement(s: {
  readonly dialect: SqlDialect;
  readonly table: string;
  readonly columns: readonly string[];
  readonly key: string;
}): string {
  const q = (name: string) => quoteIdentifier(s.dialect, name);
  const into =
    s.columns.length > 0
      ? `(${s.columns.map(q).join(', ')}) VALUES ${tuples(s.dialect, 1, 1, s.columns.length)}`
      : s.dialect === 'postgres'
        ? 'DEFAULT VALUES'
        : '() VALUES ()';
  const insert = `INSERT INTO ${s.table} ${into}`;
  return s.dialect === 'postgres' ? `${insert} RETURNING ${q(s.key)}` : insert;
}

/**
 * The keys of rows holding every one of these values (`null` for a column: IS NULL), at most `limit`:
 * an interrupted create of a row whose key the database gave finds the row it wrote by what it wrote.
 * Columns without equality in SQL (json) are left out by the caller.
 */
export function rowsHoldingStatement(s: {
  readonly dialect: SqlDialect;
  readonly table: string;
  readonly key: string;
  readonly columns: readonly { readonly name: string; readonly isNull: boolean }[];
  readonly limit: number;
}): string {
  const q = (name: string) => quoteIdentifier(s.dialect, name);
  let n = 0;
  const param = () => (s.dialect === 'postgres' ? `$${++n}` : '?');
  const where = s.columns.map((c) => (c.isNull ? `${q(c.name)} IS NULL` : `${q(c.name)} = ${param()}`));
  return `SELECT ${q(s.key)} FROM ${s.table} WHERE ${where.join(' AND ')} LIMIT ${s.limit}`;
}

export interface KeyedShape {
  readonly dialect: SqlDialect;
  readonly table: string;
  readonly keys: readonly string[];
  /** How many rows' keys are bound. */
  readonly rows: number;
}

/**
 * Which of the keys have a row, locked until the transaction ends (update only: a row found stays). A
 * create's look at its key is not locked (`lock: false`): the statement that writes it settles a race
 * by itself, and MySQL would gap-lock every missing key, deadlocking concurrent writers.
 */
export function existingKeysStatement(s: KeyedShape & { readonly lock?: boolean }): string {
  const columns = s.keys.map((k) => quoteIdentifier(s.dialect, k)).join(', ');
  const select = `SELECT ${columns} FROM ${s.table} WHERE ${keyMatch(s.dialect, s.keys, s.rows, 1)}`;
  return s.lock === false ? select : `${select} FOR UPDATE`;
}

export function deleteStatement(s: KeyedShape): string {
  return `DELETE FROM ${s.table} WHERE ${keyMatch(s.dialect, s.keys, s.rows, 1)}`;
}

/**
 * Marks rows deleted: parameter 1 is the value, the keys follow. A row already marked is not written
 * again (a retried step, or a second run).
 */
export function softDeleteStatement(s: KeyedShape & { readonly column: string }): string {
  const c = quoteIdentifier(s.dialect, s.column);
  const first = s.dialect === 'postgres' ? '$1' : '?';
  const differs = s.dialect === 'postgres' ? `${c} IS DISTINCT FROM $1` : `NOT (${c} <=> ?)`;
  return `UPDATE ${s.table} SET ${c} = ${first} WHERE ${keyMatch(s.dialect, s.keys, s.rows, 2)} AND ${differs}`;
}

/**
 * One row found by its old key and given new values, its key columns among them: the row of an object
 * whose key changed moves to the new key instead of staying behind. Values first, then the old key.
 */
export function updateByKeyStatement(s: {
  readonly dialect: SqlDialect;
  readonly table: string;
  readonly columns: readonly string[];
  readonly keys: readonly string[];
}): string {
  const q = (name: string) => quoteIdentifier(s.dialect, name);
  let n = 0;
  const param = () => (s.dialect === 'postgres' ? `$${++n}` : '?');
  const set = s.columns.map((c) => `${q(c)} = ${param()}`).join(', ');
  const where = s.keys.map((k) => `${q(k)} = ${param()}`).join(' AND ');
  return `UPDATE ${s.table} SET ${set} WHERE ${where}`;
}
