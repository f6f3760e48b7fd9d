// MariaDB's JSON columns. Its JSON type is a LONGTEXT with a `json_valid(column)` CHECK, so
// information_schema.columns names it longtext and only that check tells it from text: read as text,
// discovery typed it a string (refusing the objects the driver reads from it) and a target wrote a
// string there as it is (refused, or turned into a number or an object). MySQL names its JSON type, and
// its check_constraints has no table_name: this is asked of MariaDB only.
import type { SqlConnection } from './sql-connect';

/** The table and column a check clause makes a JSON column of. */
export interface JsonColumn {
  readonly table: string;
  readonly column: string;
}

const JSON_VALID = /^\s*json_valid\(\s*`((?:[^`]|``)+)`\s*\)\s*$/i;

/** `json_valid(`doc`)` → doc; null for any other check. */
export function jsonValidColumn(clause: unknown): string | null {
  const match = typeof clause === 'string' ? JSON_VALID.exec(clause) : null;
  return match ? match[1]!.replace(/``/g, '`') : null;
}

/**
 * The JSON columns of a MariaDB database (the connection's when `schema` is null), of one table or of
 * all; none on MySQL or PostgreSQL. `query` runs the statement as the caller reads (a source's read-only
 * transaction, a target's session).
 */
export async function mariaDbJsonColumns(
  connection: Pick<SqlConnection, 'dialect' | 'serverVersion'>,
  query: (
    statement: string,
    params: readonly unknown[],
  ) => Promise<{ rows: readonly Record<string, unknown>[] }>,
  schema: string | null,
  table?: string,
): Promise<JsonColumn[]> {
  if (connection.dialect !== 'mysql' || !/mariadb/i.test(connection.serverVersion)) return [];
  const result = await query(
    `SELECT table_name AS table_name, check_clause AS clause
       FROM information_schema.check_constraints
      WHERE constraint_schema = COALESCE(?, DATABASE())${table === undefined ? '' : ' AND table_name = ?'}`,
    table === undefined ? [schema] : [schema, table],
  );
  const found: JsonColumn[] = [];
  for (const row of result.rows) {
    const column = jsonValidColumn(row['clause']);
    if (column !== null && typeof row['table_name'] === 'string')
      found.push({ table: row['table_name'], column });
  }
  return found;
}
