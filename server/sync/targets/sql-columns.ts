// The columns of an SQL target's table, and each JSON value turned into what its column takes. Pure:
// the adapter reads the table's columns once per run (sql-table.ts) and converts every bound value here,
// so the database receives JSON text for json/jsonb and text columns, a date-time MySQL accepts, bytes
// for binary columns — and a value that does not fit is refused by the database, with its own words.
import type { SqlDialect } from '../sources/sql-dialects';

/** How a column takes values (from its type as the database names it). */
export type ColumnKind =
  'json' | 'text' | 'timestamp' | 'date' | 'bool' | 'number' | 'bytes' | 'array' | 'other';

export interface TableColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The database's name of the type, for messages (`jsonb`, `varchar`, `datetime`). */
  readonly type: string;
  /**
   * The database gives a new row its value when none is written: an identity or serial column
   * (PostgreSQL), AUTO_INCREMENT (MySQL/MariaDB). A key column of this kind lets a create leave it out.
   */
  readonly generated?: boolean;
  /**
   * PostgreSQL's `GENERATED ALWAYS AS IDENTITY`: a value is written to it only with `OVERRIDING SYSTEM
   * VALUE` (a row whose key its contract holds is upserted with it).
   */
  readonly alwaysGenerated?: boolean;
  /**
   * MySQL/MariaDB: a text column whose collation ignores case (`…_ci`, the default), so 'abc' and 'ABC'
   * are one key there. A binary or case-sensitive collation tells them apart, as PostgreSQL does.
   */
  readonly caseInsensitive?: boolean;
}

const PG_KINDS: Readonly<Record<string, ColumnKind>> = {
  json: 'json',
  jsonb: 'json',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  citext: 'text',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  date: 'date',
  bool: 'bool',
  int2: 'number',
  int4: 'number',
  int8: 'number',
  numeric: 'number',
  float4: 'number',
  float8: 'number',
  bytea: 'bytes',
};

const MYSQL_KINDS: Readonly<Record<string, ColumnKind>> = {
  json: 'json',
  char: 'text',
  varchar: 'text',
  tinytext: 'text',
  text: 'text',
  mediumtext: 'text',
  longtext: 'text',
  enum: 'text',
  set: 'text',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  date: 'date',
  tinyint: 'number',
  smallint: 'number',
  mediumint: 'number',
  int: 'number',
  bigint: 'number',
  decimal: 'number',
  float: 'number',
  double: 'number',
  bit: 'number',
  binary: 'bytes',
  varbinary: 'bytes',
  tinyblob: 'bytes',
  blob: 'bytes',
  mediumblob: 'bytes',
  longblob: 'bytes',
};

/** PostgreSQL: `typname` and `typcategory` of pg_type (`A` for arrays). */
export function postgresKind(typname: string, category: string): ColumnKind {
  if (category === 'A') return 'array';
  return PG_KINDS[typname] ?? 'other';
}

/** MySQL/MariaDB: `data_type` of information_schema.columns (MariaDB's JSON is a checked longtext). */
export function mysqlKind(dataType: string, columnType: string): ColumnKind {
  const type = dataType.toLowerCase();
  if (type === 'tinyint' && /^tinyint\(1\)/i.test(columnType)) return 'bool';
  return MYSQL_KINDS[type] ?? 'other';
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * An ISO 8601 date-time as a column without a time zone takes it (MySQL's DATETIME and TIMESTAMP,
 * PostgreSQL's `timestamp`): `2024-05-01 10:00:00.123456`, in UTC when the text has a zone (MySQL's
 * session runs in UTC), as written when it has none. A DATE column (`dateOnly`) takes the date as
 * written, whatever time and zone follow it, as PostgreSQL's `date` does: a day has no zone, and the
 * same object pushed into both databases lands on the same day. Not ISO: unchanged (the database decides).
 */
export function zonelessDateTime(text: string, dateOnly: boolean): string {
  const match = ISO.exec(text.trim());
  if (!match) return text;
  const [, date, time, fraction = '', zone] = match;
  if (dateOnly) return date!;
  if (!time) return `${date} 00:00:00`;
  let day = date!;
  let clock = time.length === 5 ? `${time}:00` : time;
  if (zone) {
    const instant = new Date(`${date}T${clock}${zone.toUpperCase() === 'Z' ? 'Z' : normaliseZone(zone)}`);
    if (Number.isNaN(instant.getTime())) return text;
    const iso = instant.toISOString();
    day = iso.slice(0, 10);
    clock = iso.slice(11, 19);
  }
  return `${day} ${clock}${fraction}`;
}

/** `+0200` / `+02` → `+02:00`, which Date parses. */
function normaliseZone(zone: string): string {
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

/**
 * A JSON value as the parameter its column takes. Objects and arrays become JSON text (PostgreSQL array
 * columns take arrays as they are), and any value for a json/jsonb column is JSON-encoded, so a string
 * stays a JSON string. Booleans are 1/0 for numbers (and MySQL's booleans) and `true`/`false` for text.
 */
export function toParam(
  dialect: SqlDialect,
  column: Pick<TableColumn, 'kind'> & { readonly type?: string },
  value: unknown,
): unknown {
  if (value === null || value === undefined) return null;
  const { kind } = column;
  if (kind === 'json') return JSON.stringify(value);
  if (typeof value === 'object') {
    if (kind === 'array' && Array.isArray(value)) return value;
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') {
    if (kind === 'text') return value ? 'true' : 'false';
    // PostgreSQL refuses `true` in a smallint or integer column (an application's flag): 1 or 0 there too.
    if (kind === 'number' || (dialect === 'mysql' && kind === 'bool')) return value ? 1 : 0;
    return value;
  }
  if (typeof value === 'string') {
    if (kind === 'bytes') return Buffer.from(value, 'base64');
    if (dialect === 'mysql' && (kind === 'timestamp' || kind === 'date'))
      return zonelessDateTime(value, kind === 'date');
    // PostgreSQL's `timestamp` (without time zone) drops a written offset and keeps the wall clock:
    // 12:30+02:00 would be stored as 12:30, two hours off the moment, which Concord reads back as UTC
    // (core/two-way/held-types.ts). Written in UTC, as MySQL's are; `timestamptz` keeps the offset itself.
    if (kind === 'timestamp' && column.type === 'timestamp') return zonelessDateTime(value, false);
    return value;
  }
  if (typeof value === 'number' && kind === 'text') return String(value);
  return value;
}

// Whole-number types: PostgreSQL's by typname, MySQL's by data_type (tinyint(1) is a boolean).
const WHOLE_NUMBER_TYPES = new Set([
  'int2',
  'int4',
  'int8',
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'bigint',
]);
const DECIMAL_TEXT = /^\s*[+-]?\d*\.\d+\s*$/;

/**
 * Why a value cannot go into a whole-number column — a number or decimal text with a fraction — or null.
 * MySQL rounds it without a word (1.5 is stored as 2); PostgreSQL refuses it without naming the column.
 */
export function fractionRefusal(
  column: Pick<TableColumn, 'name' | 'kind' | 'type'>,
  value: unknown,
): string | null {
  if (column.kind !== 'number' || !WHOLE_NUMBER_TYPES.has(column.type.toLowerCase())) return null;
  const fraction =
    (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) ||
    (typeof value === 'string' && DECIMAL_TEXT.test(value) && !Number.isInteger(Number(value)));
  if (!fraction) return null;
  return `the column "${column.name}" holds whole numbers: ${JSON.stringify(value)} is not one`;
}
