// Column helpers shared by every table: prefixed ids, the created/updated timestamps, JSON kept as
// SQLite's binary JSON, and hashes kept as their bytes.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { customType, integer, text } from 'drizzle-orm/sqlite-core';
import { newId, type IdKind } from '../ids';

export const primaryId = (kind: IdKind) =>
  text('id')
    .primaryKey()
    .$defaultFn(() => newId(kind));

export const timestamps = {
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date()),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date()),
};

export const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

/**
 * A time stored as milliseconds after the row's `created_at` (in `<name>_offset`: 0, no byte, for a
 * time equal to the creation, where a time takes 6) and read through a virtual column of its name.
 * Read the named column; write the offset (issue 14: contracts' and register objects' times).
 */
export const timeAfterCreation = (name: string) =>
  timestamp(name).generatedAlwaysAs(sql.raw(`created_at + ${name}_offset`), { mode: 'virtual' });

/** A row's last write time kept so (timeAfterCreation): drizzle's updates set the offset themselves. */
export const updatedAfterCreation = () => ({
  updatedAtOffset: integer('updated_at_offset')
    .notNull()
    .$defaultFn(() => 0)
    .$onUpdateFn(() => sql.raw(`${Date.now()} - created_at`)),
  updatedAt: timestamp('updated_at')
    .notNull()
    .generatedAlwaysAs(sql.raw('created_at + updated_at_offset'), { mode: 'virtual' }),
});

/**
 * JSON kept as SQLite's binary JSON (JSONB, SQLite ≥ 3.45, which libSQL and sqld embed): about a fifth
 * smaller than its text, and read back as text by `jsonbText` in SQL. Written through `jsonbValue`; a
 * value nested deeper than SQLite's JSON functions accept (1,000 levels) stays text, as do rows written
 * before the column held JSONB. Select it through `jsonbRead(column)`: the column alone answers a JSONB
 * value's raw bytes, which this refuses rather than hand on.
 */
export const jsonb = customType<{ data: unknown; driverData: string | ArrayBuffer }>({
  dataType: () => 'text',
  toDriver: (value) => jsonbValue(JSON.stringify(value)),
  fromDriver: (value) => {
    if (typeof value === 'string') return JSON.parse(value) as unknown;
    throw new TypeError('A JSONB column was read as bytes: select it through jsonbRead(column).');
  },
});

/** JSON text (a parameter or an SQL expression) as the JSONB column stores it. */
export const jsonbValue = (text: string | SQL): SQL =>
  sql`CASE WHEN json_valid(${text}) THEN jsonb(${text}) ELSE ${text} END`;

/** The same in raw SQL, the JSON text being the SQL expression `expr` (evaluated up to three times). */
export const jsonbValueSql = (expr: string): string =>
  `CASE WHEN json_valid(${expr}) THEN jsonb(${expr}) ELSE ${expr} END`;

/** A JSONB column's value as its JSON text, whichever form the row holds. */
export const jsonbText = (column: AnyColumn | SQL): SQL<string | null> =>
  sql<string | null>`CASE WHEN typeof(${column}) = 'blob' THEN json(${column}) ELSE ${column} END`;

/** A JSONB column to select: its value parsed, as a JSON text column reads. */
export const jsonbRead = (column: AnyColumn): SQL<unknown> =>
  jsonbText(column).mapWith((text: string) => JSON.parse(text) as unknown);

// A hash of whole bytes in hex (either case); anything else is kept as the text it is.
const HEX_BYTES = /^(?:[0-9a-fA-F]{2})*$/;

/** A hash as the hash columns store it: its bytes when it is hex (as Concord makes them), else its text. */
export function hashBytes(value: string): Uint8Array | string {
  return HEX_BYTES.test(value) ? Buffer.from(value, 'hex') : value;
}

/** A stored hash as Concord uses it: lower-case hex, or the text a row held. */
export function hashHex(value: ArrayBuffer | Uint8Array | string): string {
  if (typeof value === 'string') return value;
  return (
    value instanceof ArrayBuffer
      ? Buffer.from(value)
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  ).toString('hex');
}

/**
 * A hash Concord makes (core/canonical-json.ts: 32 hex characters of SHA-256) kept as its 16 bytes, half
 * its text (issue 14, migration 0042: an object's, a contract's and a version's hashes, 80 bytes of
 * database per synchronised object). Still declared TEXT, the type the columns had: SQLite keeps a BLOB
 * in a TEXT column as it is, so no table was made again, and rows keep whichever form they hold. Read
 * and written as hex through drizzle; raw SQL writes one through `hashSql` and reads one through
 * `hashTextSql`. The same rule on both sides (hex of whole bytes as bytes, anything else as text) keeps
 * equal hashes equal in SQL, whichever side made them.
 */
export const hashColumn = customType<{ data: string; driverData: ArrayBuffer | Uint8Array | string }>({
  dataType: () => 'text',
  toDriver: (value) => hashBytes(value),
  fromDriver: (value) => hashHex(value),
});

/** In raw SQL, a hash in hex (the SQL expression `expr`) as the hash columns store it (see `hashColumn`). */
export const hashSql = (expr: string): string => `coalesce(unhex(${expr}), ${expr})`;

/** In raw SQL, a hash column's value as hex text (NULL stays NULL), for JSON and for the engine. */
export const hashTextSql = (column: string): string =>
  `CASE WHEN typeof(${column}) = 'blob' THEN lower(hex(${column})) ELSE ${column} END`;
