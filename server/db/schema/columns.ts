// Column helpers shared by every table: prefixed ids, the created/updated timestamps, and JSON kept as
// SQLite's binary JSON.
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
