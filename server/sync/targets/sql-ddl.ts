// CREATE TABLE for an SQL target, from a register schema's JSON Schema: one column per property
// (string → text or varchar, a date-time format → timestamptz/datetime, integer → bigint, number →
// double, boolean, object/array → jsonb/json), the key column(s) the primary key. Pure: the same text is
// shown as a preview and, when the person asks, run.
import { quoteIdentifier, type SqlDialect } from '../sources/sql-dialects';
import { quoteTable } from './sql-statements';

export interface DdlColumn {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
}

export interface TableDdl {
  readonly columns: readonly DdlColumn[];
  readonly statement: string;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one JSON type a property holds (`["string", "null"]` → string); null when it says none or several. */
function typeOf(property: Json): string | null {
  const type = property['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const named = type.filter((t) => t !== 'null');
    return named.length === 1 && typeof named[0] === 'string' ? named[0] : null;
  }
  if (Array.isArray(property['enum']) && property['enum'].every((v) => typeof v === 'string'))
    return 'string';
  return null;
}

/**
 * Whether a property admits null (`["string", "null"]`, `nullable`, a null in its enum or among its
 * alternatives): required says only that it is present, so such a column must take NULL.
 */
function admitsNull(property: unknown): boolean {
  if (!isRecord(property)) return false;
  const type = property['type'];
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  if (property['nullable'] === true) return true;
  if (Array.isArray(property['enum']) && property['enum'].includes(null)) return true;
  return ['anyOf', 'oneOf'].some((k) => {
    const alternatives = property[k];
    return Array.isArray(alternatives) && alternatives.some(admitsNull);
  });
}

/** The column type for a property; `key` columns need a bounded type in MySQL. */
export function columnType(dialect: SqlDialect, property: unknown, key: boolean): string {
  const p = isRecord(property) ? property : {};
  const type = typeOf(p);
  const pg = dialect === 'postgres';
  switch (type) {
    case 'string': {
      const format = p['format'];
      if (format === 'date-time') return pg ? 'timestamptz' : 'datetime(6)';
      if (format === 'date') return 'date';
      const max = p['maxLength'];
      if (typeof max === 'number' && Number.isInteger(max) && max > 0 && max <= 4000)
        return `varchar(${max})`;
      if (key) return 'varchar(255)';
      return 'text';
    }
    case 'integer':
      return 'bigint';
    case 'number':
      return pg ? 'double precision' : 'double';
    case 'boolean':
      return 'boolean';
    case 'object':
    case 'array':
      return pg ? 'jsonb' : 'json';
    default:
      // Any JSON value: a key is text, everything else keeps its shape as JSON.
      if (key) return pg ? 'text' : 'varchar(255)';
      return pg ? 'jsonb' : 'json';
  }
}

/**
 * The table for `jsonSchema`'s properties, in their order, with the key columns first when the schema
 * does not name them (a register object's `id`). Required properties are NOT NULL, unless they admit null.
 */
export function tableDdl(
  dialect: SqlDialect,
  tableParts: readonly string[],
  jsonSchema: unknown,
  keyColumns: readonly string[],
): TableDdl {
  const schema = isRecord(jsonSchema) ? jsonSchema : {};
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const required = new Set(
    Array.isArray(schema['required']) ? schema['required'].filter((r) => typeof r === 'string') : [],
  );
  const names = [...keyColumns.filter((k) => !(k in properties)), ...Object.keys(properties)];
  const columns = names.map((name) => {
    const key = keyColumns.includes(name);
    const notNull = key || (required.has(name) && !admitsNull(properties[name]));
    return { name, type: columnType(dialect, properties[name], key), notNull };
  });
  const q = (name: string) => quoteIdentifier(dialect, name);
  const lines = columns.map((c) => `  ${q(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
  lines.push(`  PRIMARY KEY (${keyColumns.map(q).join(', ')})`);
  return { columns, statement: `CREATE TABLE ${quoteTable(dialect, tableParts)} (\n${lines.join(',\n')}\n)` };
}
