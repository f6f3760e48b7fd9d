// Database values as JSON, keyset keys and the SQL cursor. Pure: the drivers hand over values with dates
// and times still as the database's own text (see sql-connect.ts), so nothing is lost on the way:
// times keep their microseconds, big integers and decimals their digits.
import type { SqlDialect } from './sql-dialects';

/** A column of a result; `temporal` marks date-times the driver left as text, to be written as ISO 8601. */
export interface SqlColumn {
  readonly name: string;
  /** `local`: a date-time without zone (kept without one); `utc`: an instant read in UTC (gets a Z). */
  readonly temporal?: 'local' | 'utc';
  /** MySQL's BIT(n), which the driver hands over as bytes: the width in bits (bitValue). */
  readonly bits?: number;
}

/** A key as a step carries it: text, a number, or bytes in base64. */
export type SqlKey = string | number | { readonly base64: string };

/** Where a listing continues: after this key, with this page number (plain JSON for a durable step). */
export interface SqlCursor {
  readonly after: SqlKey | null;
  readonly page: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A value as JSON: Date → ISO string, bigint → string, bytes → base64, NaN and ±Infinity → their names,
 * arrays and objects (JSON columns) element by element. Text (decimals, big integers) stays text.
 */
export function toJsonValue(value: unknown): Json {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      // Symbols and functions: no driver returns them.
      return null;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
  return out;
}

const DATE_TIME = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(\+00(?::?00)?|Z)?$/;

/**
 * A date-time as the database wrote it (`2024-05-01 10:00:00.123456`, `… +00`) as ISO 8601
 * (`2024-05-01T10:00:00.123456`, `…Z`). Anything else (`infinity`, BC dates, zero dates) stays as it is.
 */
export function isoDateTime(text: string, temporal: 'local' | 'utc'): string {
  const match = DATE_TIME.exec(text);
  if (!match) return text;
  const [, date, time, zone] = match;
  return `${date}T${time}${temporal === 'utc' || zone ? 'Z' : ''}`;
}

/** One row as the object a synchronisation sees: every column, each value as JSON. */
export function rowToObject(
  row: Readonly<Record<string, unknown>>,
  columns: readonly SqlColumn[],
): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const column of columns) {
    const value = row[column.name];
    out[column.name] =
      column.temporal && typeof value === 'string'
        ? isoDateTime(value, column.temporal)
        : column.bits !== undefined && value instanceof Uint8Array
          ? bitValue(value, column.bits)
          : toJsonValue(value);
  }
  return out;
}

/**
 * A BIT(n) value as its number — a bit(1) flag is 1 or 0, not the base64 of a byte ("AQ==") — and, for a
 * column wider than 53 bits, as its digits (a double holds no more), as big integers are.
 */
export function bitValue(bytes: Uint8Array, width: number): number | string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return width > 53 ? value.toString() : Number(value);
}

/** The key of a row as the cursor carries it, from the driver's value; null when it cannot page. */
export function keyOf(value: unknown): SqlKey | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return null;
}

/** The key as a statement parameter: bytes back to bytes, the rest as they are. */
export function keyParam(key: SqlKey): string | number | Buffer {
  return typeof key === 'object' ? Buffer.from(key.base64, 'base64') : key;
}

/** A key for messages: short, and bytes shown as base64. */
export function showKey(key: SqlKey): string {
  const text = typeof key === 'object' ? `base64:${key.base64}` : JSON.stringify(key);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * Whether two keys may be the same row position for the database, so a page boundary between them would
 * lose rows. PostgreSQL compares text exactly; MySQL's usual collations ignore case, accents and
 * trailing spaces, so there text that differs only in those counts as the same.
 */
export function sameKey(dialect: SqlDialect, a: SqlKey, b: SqlKey): boolean {
  if (typeof a === 'object' || typeof b === 'object')
    return typeof a === 'object' && typeof b === 'object' && a.base64 === b.base64;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (a === b) return true;
  if (dialect === 'postgres') return false;
  return a.trimEnd().localeCompare(b.trimEnd(), 'und', { sensitivity: 'base' }) === 0;
}

/** A cursor read back from a step's stored result, checked. */
export function isSqlCursor(value: unknown): value is SqlCursor {
  if (!value || typeof value !== 'object') return false;
  const { after, page } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(page) || (page as number) < 1) return false;
  if (after === null || typeof after === 'string') return true;
  if (typeof after === 'number') return Number.isFinite(after);
  return !!after && typeof after === 'object' && typeof (after as { base64?: unknown }).base64 === 'string';
}

const ISO_INSTANT = /^(\d{4,}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A cursor bound as a statement parameter. Values the database gave are passed back as they came;
 * an ISO date-time read from an object (`2024-05-01T10:00:00Z`, how rows are written) is written for
 * MySQL/MariaDB as `2024-05-01 10:00:00` in UTC — the session's zone — since MariaDB does not read
 * the `T…Z` form. PostgreSQL reads both.
 */
export function boundParam(dialect: SqlDialect, value: string | number): string | number {
  if (dialect !== 'mysql' || typeof value !== 'string') return value;
  const match = ISO_INSTANT.exec(value);
  if (!match) return value;
  const [, date, time, zone] = match;
  if (!zone) return `${date} ${time}`;
  const fraction = /\.\d+$/.exec(time!)?.[0] ?? '';
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const instant = new Date(`${date}T${time!.replace(/\.\d+$/, '')}${offset}`);
  if (Number.isNaN(instant.getTime())) return value;
  return `${instant.toISOString().slice(0, 19).replace('T', ' ')}${fraction}`;
}
