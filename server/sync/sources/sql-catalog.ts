// What an SQL source offers: its tables and views with their columns, types and keys, read from the
// catalog (information_schema) over the source's checked, read-only connection. The column types are
// given as the JSON types a synchronisation's objects hold (see sql-values.ts and the drivers): big
// integers and decimals as text, dates and times as ISO text, bytes as base64.
import type { DataField, DataType, FieldFormat, FieldType } from '../core/discover';
import type { SqlConnection } from './sql-connect';
import { mariaDbJsonColumns } from './sql-mariadb-json';
import { quoteIdentifier, type SqlDialect } from './sql-dialects';

/** At most this many columns are read from the catalog (many thousands of tables are not browsed). */
export const MAX_CATALOG_COLUMNS = 20_000;

const POSTGRES_COLUMNS = `
SELECT c.table_schema AS schema_name, c.table_name AS table_name, t.table_type AS table_type,
       c.column_name AS column_name, c.data_type AS data_type, c.udt_name AS udt_name,
       c.is_nullable AS is_nullable,
       (c.column_default IS NOT NULL OR c.is_identity = 'YES' OR c.is_generated = 'ALWAYS') AS given
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg\\_%'
ORDER BY c.table_schema, c.table_name, c.ordinal_position
LIMIT ${MAX_CATALOG_COLUMNS}`;

const MYSQL_COLUMNS = `
SELECT c.table_schema AS schema_name, c.table_name AS table_name, t.table_type AS table_type,
       c.column_name AS column_name, c.data_type AS data_type, c.column_type AS udt_name,
       c.is_nullable AS is_nullable,
       (c.column_default IS NOT NULL AND c.column_default <> 'NULL' OR c.extra LIKE '%auto_increment%'
         OR c.extra LIKE '%GENERATED%') AS given
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = DATABASE()
ORDER BY c.table_name, c.ordinal_position
LIMIT ${MAX_CATALOG_COLUMNS}`;

// Primary keys and unique constraints, column by column in key order.
const KEYS = (dialect: SqlDialect) => `
SELECT k.table_schema AS schema_name, k.table_name AS table_name, k.constraint_name AS constraint_name,
       tc.constraint_type AS constraint_type, k.column_name AS column_name
FROM information_schema.table_constraints tc
JOIN information_schema.key_column_usage k
  ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
 AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
WHERE tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND ${
  dialect === 'postgres'
    ? "tc.table_schema NOT IN ('pg_catalog', 'information_schema')"
    : 'tc.table_schema = DATABASE()'
}
ORDER BY k.table_schema, k.table_name, k.constraint_name, k.ordinal_position`;

interface ColumnRow {
  schema_name: string;
  table_name: string;
  table_type: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: string;
  /** The database gives the column a value a new row leaves out: a default, identity, serial, generated. */
  given: boolean | number | string | null;
}

interface KeyRow {
  schema_name: string;
  table_name: string;
  constraint_name: string;
  constraint_type: string;
  column_name: string;
}

/** The tables and views the connection's user can read, in name order. */
export async function readCatalog(connection: SqlConnection): Promise<DataType[]> {
  const dialect = connection.dialect;
  const columns = await connection.read(dialect === 'postgres' ? POSTGRES_COLUMNS : MYSQL_COLUMNS, []);
  const keys = await connection.read(KEYS(dialect), []);
  // MySQL's catalog is the connection's database: a table's name and a column's name say which.
  const jsonColumn = (table: string, column: string) => `${table}\u0000${column}`;
  const json = new Set(
    (await mariaDbJsonColumns(connection, (sql, params) => connection.read(sql, params), null)).map((c) =>
      jsonColumn(c.table, c.column),
    ),
  );
  const constraints = new Map<string, { type: string; columns: string[] }[]>();
  const byName = new Map<string, { type: string; columns: string[] }>();
  for (const row of keys.rows as unknown as KeyRow[]) {
    const table = tableKey(row.schema_name, row.table_name);
    const id = `${table}\u0000${row.constraint_name}`;
    let constraint = byName.get(id);
    if (!constraint) {
      constraint = { type: row.constraint_type, columns: [] };
      byName.set(id, constraint);
      constraints.set(table, [...(constraints.get(table) ?? []), constraint]);
    }
    constraint.columns.push(row.column_name);
  }
  const tables = new Map<string, { schema: string; name: string; view: boolean; columns: ColumnRow[] }>();
  for (const found of columns.rows as unknown as ColumnRow[]) {
    // A MariaDB JSON column (a checked longtext) is JSON, as MySQL's and PostgreSQL's are.
    const row = json.has(jsonColumn(found.table_name, found.column_name))
      ? { ...found, data_type: 'json', udt_name: 'json' }
      : found;
    const id = tableKey(row.schema_name, row.table_name);
    let table = tables.get(id);
    if (!table) {
      table = {
        schema: row.schema_name,
        name: row.table_name,
        view: /view/i.test(row.table_type),
        columns: [],
      };
      tables.set(id, table);
    }
    table.columns.push(row);
  }
  return [...tables.entries()].map(([id, table]) => describeTable(dialect, table, constraints.get(id) ?? []));
}

const tableKey = (schema: string, table: string) => `${schema}\u0000${table}`;

// A boolean of the catalog as each driver hands it: true (PostgreSQL), 1 or '1' (MySQL, MariaDB).
const isTrue = (value: ColumnRow['given']): boolean => value === true || value === 1 || value === '1';

function describeTable(
  dialect: SqlDialect,
  table: { schema: string; name: string; view: boolean; columns: ColumnRow[] },
  constraints: { type: string; columns: string[] }[],
): DataType {
  const nullable = new Map(table.columns.map((c) => [c.column_name, c.is_nullable.toUpperCase() === 'YES']));
  const primary = constraints.find((c) => c.type === 'PRIMARY KEY');
  const unique = constraints.find(
    (c) => c.type === 'UNIQUE' && c.columns.length === 1 && nullable.get(c.columns[0]!) === false,
  );
  const { idField, problem } = chooseKey(primary?.columns ?? null, unique?.columns[0] ?? null, nullable);
  const keyColumns = new Set(primary?.columns ?? (idField ? [idField] : []));
  const fields = table.columns.map((c): DataField => {
    const { type, format } = jsonTypeOf(dialect, c.data_type, c.udt_name);
    return {
      name: c.column_name,
      type,
      ...(format ? { format } : {}),
      nullable: nullable.get(c.column_name) ?? true,
      key: keyColumns.has(c.column_name),
      ...(isTrue(c.given) ? { givenBySource: true } : {}),
      sourceType: dialect === 'postgres' && c.data_type === 'USER-DEFINED' ? c.udt_name : c.data_type,
    };
  });
  // PostgreSQL's default schema is left out of the name people read; MySQL tables are in the database.
  const shown =
    dialect === 'mysql' || table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
  const parts = dialect === 'mysql' ? [table.name] : [table.schema, table.name];
  return {
    name: shown,
    kind: table.view ? 'view' : 'table',
    endpoint: parts.map((p) => endpointPart(dialect, p)).join('.'),
    fields,
    idField,
    problem,
  };
}

/** The column pages are keyed on: a one-column primary key, a unique NOT NULL column, or `id`. */
function chooseKey(
  primary: string[] | null,
  unique: string | null,
  nullable: Map<string, boolean>,
): { idField: string | null; problem: string | null } {
  if (primary?.length === 1) return { idField: primary[0]!, problem: null };
  if (unique) return { idField: unique, problem: null };
  if (nullable.has('id')) return { idField: 'id', problem: null };
  if (primary && primary.length > 1)
    return {
      idField: null,
      problem: `Its primary key has ${primary.length} columns (${primary.join(', ')}); a synchronisation pages on one unique column.`,
    };
  return { idField: null, problem: 'It has no primary key, unique NOT NULL column or id column to page on.' };
}

/** A table name part as a synchronisation's endpoint reads it: bare when that means the same, else quoted. */
function endpointPart(dialect: SqlDialect, name: string): string {
  const bare = dialect === 'postgres' ? /^[a-z_][a-z0-9_]*$/ : /^[A-Za-z_][A-Za-z0-9_]*$/;
  return bare.test(name) ? name : quoteIdentifier(dialect, name);
}

const POSTGRES_TYPES: Record<string, FieldType> = {
  smallint: 'integer',
  integer: 'integer',
  real: 'number',
  'double precision': 'number',
  boolean: 'boolean',
  ARRAY: 'array',
  json: 'any',
  jsonb: 'any',
};

const MYSQL_TYPES: Record<string, FieldType> = {
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  integer: 'integer',
  year: 'integer',
  float: 'number',
  double: 'number',
  real: 'number',
  json: 'any',
};

// Text in both: big integers and decimals keep their digits, dates and times their precision.
const TEXT = new Set([
  'bigint',
  'numeric',
  'decimal',
  'money',
  'text',
  'character varying',
  'character',
  'varchar',
  'char',
  'tinytext',
  'mediumtext',
  'longtext',
  'enum',
  'set',
  'uuid',
  'citext',
  'USER-DEFINED',
  'time',
  'time without time zone',
  'time with time zone',
  'interval',
  'timestamp without time zone',
  'datetime',
  'bytea',
  'binary',
  'varbinary',
  'blob',
  'tinyblob',
  'mediumblob',
  'longblob',
  'bit',
  'inet',
  'cidr',
  'macaddr',
  'xml',
]);

/** The JSON type a column's values have in a synchronisation's objects; `any` for the unusual. */
export function jsonTypeOf(
  dialect: SqlDialect,
  dataType: string,
  /** PostgreSQL's udt_name, MySQL's column_type (`bit(1)`). */
  fullType = '',
): { type: FieldType; format?: FieldFormat } {
  // MySQL's BIT is read as its number (sql-values.ts bitValue), as digits past 53 bits.
  if (dialect === 'mysql' && dataType.toLowerCase() === 'bit') {
    const width = Number(/\((\d+)\)/.exec(fullType)?.[1] ?? '1');
    return { type: width > 53 ? 'string' : 'integer' };
  }
  const known = dialect === 'postgres' ? POSTGRES_TYPES[dataType] : MYSQL_TYPES[dataType.toLowerCase()];
  if (known) return { type: known };
  if (dataType === 'date') return { type: 'string', format: 'date' };
  // Instants are read in UTC and written with a Z; zone-less date-times stay without one (no format).
  if (dataType === 'timestamp with time zone' || (dialect === 'mysql' && dataType === 'timestamp'))
    return { type: 'string', format: 'date-time' };
  if (TEXT.has(dataType) || TEXT.has(dataType.toLowerCase())) return { type: 'string' };
  return { type: 'any' };
}
