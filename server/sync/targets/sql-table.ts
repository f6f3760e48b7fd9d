// What an SQL target needs to know about its table before writing, read once per run: its columns and
// their types (to convert values, sql-columns.ts; MariaDB's JSON columns by their check), which of them
// the database fills itself (identity, serial, AUTO_INCREMENT: a key the database gives each new row),
// and whether the key columns are unique together — without that an upsert cannot find the row
// (PostgreSQL refuses ON CONFLICT, MySQL would insert twice).
import type { SqlConnection } from '../sources/sql-connect';
import { mariaDbJsonColumns } from '../sources/sql-mariadb-json';
import { quoteTable } from './sql-statements';
import { mysqlKind, postgresKind, type TableColumn } from './sql-columns';

export interface TableInfo {
  /** Quoted and qualified, ready for statements. */
  readonly quoted: string;
  readonly columns: ReadonlyMap<string, TableColumn>;
  /** Each unique index (primary key included) as its set of columns. */
  readonly uniqueKeys: readonly (readonly string[])[];
}

/** Null when the table does not exist (or the user cannot see it). */
export async function readTable(db: SqlConnection, parts: readonly string[]): Promise<TableInfo | null> {
  const quoted = quoteTable(db.dialect, parts);
  return db.dialect === 'postgres' ? readPostgres(db, quoted) : readMysql(db, parts, quoted);
}

async function readPostgres(db: SqlConnection, quoted: string): Promise<TableInfo | null> {
  const columns = await db.execute(
    `SELECT a.attname AS name, t.typname AS typname, t.typcategory AS category,
            a.attidentity::text AS identity,
            COALESCE(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false) AS serial
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [quoted],
  );
  if (columns.rows.length === 0) return null;
  const unique = await db.execute(
    `SELECT array_agg(a.attname::text) AS columns
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL
      GROUP BY i.indexrelid`,
    [quoted],
  );
  return {
    quoted,
    columns: new Map(
      columns.rows.map((row) => {
        const name = String(row['name']);
        const type = String(row['typname']);
        const kind = postgresKind(type, String(row['category']));
        const identity = row['identity'] as string | null;
        const generated = (identity ?? '') !== '' || row['serial'] === true;
        return [
          name,
          { name, type, kind, generated, ...(identity === 'a' ? { alwaysGenerated: true } : {}) },
        ];
      }),
    ),
    uniqueKeys: unique.rows.map((row) => (row['columns'] as string[]) ?? []),
  };
}

async function readMysql(
  db: SqlConnection,
  parts: readonly string[],
  quoted: string,
): Promise<TableInfo | null> {
  // `db.table` names the database; a bare name is in the connection's database.
  const schema = parts.length > 1 ? parts[parts.length - 2]! : null;
  const table = parts[parts.length - 1]!;
  const columns = await db.execute(
    `SELECT column_name AS name, data_type AS data_type, column_type AS column_type, extra AS extra,
            collation_name AS collation
       FROM information_schema.columns
      WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?
      ORDER BY ordinal_position`,
    [schema, table],
  );
  if (columns.rows.length === 0) return null;
  const unique = await db.execute(
    `SELECT index_name AS index_name, column_name AS name
       FROM information_schema.statistics
      WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? AND non_unique = 0`,
    [schema, table],
  );
  const json = new Set(
    (await mariaDbJsonColumns(db, (sql, params) => db.execute(sql, params), schema, table)).map(
      (c) => c.column,
    ),
  );
  const byIndex = new Map<string, string[]>();
  for (const row of unique.rows) {
    const index = String(row['index_name']);
    byIndex.set(index, [...(byIndex.get(index) ?? []), String(row['name'])]);
  }
  return {
    quoted,
    columns: new Map(
      columns.rows.map((row) => {
        const name = String(row['name']);
        const type = String(row['data_type']);
        const kind = json.has(name) ? 'json' : mysqlKind(type, String(row['column_type']));
        const collation = typeof row['collation'] === 'string' ? row['collation'] : '';
        return [
          name,
          {
            name,
            type,
            kind,
            generated: /auto_increment/i.test((row['extra'] as string | null) ?? ''),
            ...(/_ci$/i.test(collation) ? { caseInsensitive: true } : {}),
          },
        ];
      }),
    ),
    uniqueKeys: [...byIndex.values()],
  };
}

/**
 * Why the table cannot take upserts on these key columns; null when it can. `written`: the columns chosen
 * (column → field), when they are: a key column left out of them must be one the database fills.
 */
export function keyProblem(
  info: TableInfo,
  keys: readonly string[],
  table: string,
  written?: Readonly<Record<string, string>>,
): string | null {
  const missing = keys.filter((key) => !info.columns.has(key));
  if (missing.length > 0) {
    const names = [...info.columns.keys()].slice(0, 20).join(', ');
    return `the table ${table} has no column ${missing.map((m) => `"${m}"`).join(', ')} (its columns: ${names}); check the key columns`;
  }
  const unwritten = written ? keys.filter((key) => !(key in written)) : [];
  if (unwritten.length > 0 && (keys.length > 1 || !info.columns.get(keys[0]!)!.generated))
    return `the key column "${unwritten[0]}" is not among the columns written, and the database does not fill it (it is not an identity, serial or AUTO_INCREMENT column): write it, or let the database give it`;
  const wanted = [...keys].sort().join('\u0000');
  if (!info.uniqueKeys.some((cols) => [...cols].sort().join('\u0000') === wanted)) {
    const what =
      keys.length === 1
        ? `the key column "${keys[0]}" is`
        : `the key columns ${keys.map((k) => `"${k}"`).join(', ')} are`;
    return `${what} not a primary key or unique index of ${table}, so rows cannot be matched; add one, or name the table's primary key`;
  }
  return null;
}
