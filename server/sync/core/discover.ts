// Data types a source offers (an SQL table or view, a REST endpoint's objects, a file's rows) and what
// Concord makes of one when a person selects it: a register schema (JSON Schema) inferred from its
// fields, and a starting mapping that copies every field as it is. Pure: the SQL catalog, the REST
// client and the file preview hand their findings to these functions.

/** The JSON types a field's values take once Concord has read them (see sources/sql-values.ts). */
export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'any'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_FORMATS = ['date', 'date-time'] as const;
export type FieldFormat = (typeof FIELD_FORMATS)[number];

export interface DataField {
  readonly name: string;
  readonly type: FieldType;
  readonly format?: FieldFormat;
  /** Whether a value may be missing or null (a nullable column; a key absent from some samples). */
  readonly nullable: boolean;
  /** Part of the primary key (SQL) or the id field (REST, files). */
  readonly key: boolean;
  /**
   * The source gives a new object this value when it is left out: a column the database fills (a
   * default, an identity or serial key), a REST API's id field (an API gives new objects their ids). Not
   * required in the register schema, so a person may add an object to the register without inventing
   * one (a two-way synchronisation adds it to the source, which gives it).
   */
  readonly givenBySource?: boolean;
  /** As the source names the type (`character varying(200)`), for people; absent for samples. */
  readonly sourceType?: string;
}

export interface DataType {
  /** What a person reads: `customers`, `crm.customers`, `/people`, the file's name. */
  readonly name: string;
  readonly kind: 'table' | 'view' | 'endpoint' | 'file';
  /** What a synchronisation reads: the quoted table name, the REST endpoint, '' for a file. */
  readonly endpoint: string;
  readonly fields: readonly DataField[];
  /** The field each object's id is read from; null when there is none to use. */
  readonly idField: string | null;
  /** REST: where the list of objects is in the answer. */
  readonly resultsPosition?: string;
  /** Why this type cannot become a synchronisation as it is (no usable key); null when it can. */
  readonly problem: string | null;
}

/** The JSON type of one value. */
export function valueType(value: unknown): FieldType | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'object':
      return 'object';
    default:
      return 'any';
  }
}

/** Two types seen for one field: integers and decimals make numbers; anything else mixed is any. */
function widen(a: FieldType | null, b: FieldType): FieldType {
  if (a === null || a === b) return b;
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'any';
}

/**
 * The fields of sample objects (a REST page, a file's first rows), in the order first seen. A field
 * missing from or null in any sample is nullable; one that is null everywhere is `any`.
 */
export function fieldsFromSamples(
  samples: readonly Record<string, unknown>[],
  idField: string | null,
  { idGivenBySource = false }: { idGivenBySource?: boolean } = {},
) {
  const order: string[] = [];
  const seen = new Map<string, { type: FieldType | null; nullable: boolean; count: number }>();
  for (const sample of samples) {
    for (const [name, value] of Object.entries(sample)) {
      let field = seen.get(name);
      if (!field) {
        field = { type: null, nullable: false, count: 0 };
        seen.set(name, field);
        order.push(name);
      }
      field.count += 1;
      const type = valueType(value);
      if (type === 'null') field.nullable = true;
      else field.type = widen(field.type, type);
    }
  }
  return order.map((name): DataField => {
    const field = seen.get(name)!;
    return {
      name,
      type: field.type ?? 'any',
      nullable: field.nullable || field.count < samples.length,
      key: name === idField,
      ...(idGivenBySource && name === idField ? { givenBySource: true } : {}),
    };
  });
}

/** A field name as a mapping path: dots, brackets, a leading `=` or template braces are escaped. */
export function escapePath(name: string): string {
  return name.replace(/[\\.[\]{}%=]/g, (char) => `\\${char}`);
}

/**
 * The register schema of a data type: its fields typed, the key named, and required the fields every
 * object has a value for that the source does not give by itself (NOT NULL, no default).
 */
export function jsonSchemaOf(type: DataType, sourceName: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of type.fields) {
    const property: Record<string, unknown> = {};
    if (field.type !== 'any') property.type = field.nullable ? [field.type, 'null'] : field.type;
    if (field.format) property.format = field.format;
    if (field.sourceType) property.description = field.key ? `${field.sourceType}, key` : field.sourceType;
    properties[field.name] = property;
  }
  const required = type.fields.filter((f) => !f.nullable && !f.givenBySource).map((f) => f.name);
  const key = type.fields.filter((f) => f.key).map((f) => f.name);
  return {
    type: 'object',
    description: `Discovered in ${sourceName}: ${type.name}`,
    properties,
    ...(required.length ? { required } : {}),
    // Not a JSON Schema keyword: where the objects' ids come from, for people and later tools.
    ...(key.length ? { 'x-concord-key': key } : {}),
  };
}

/** At most this many fields are mapped one by one; a wider type copies the whole object instead. */
export const MAX_MAPPED_FIELDS = 500;

/** The starting mapping: every field copied under its own name, which a person can then edit. */
export function identityMapping(type: DataType): Record<string, unknown> {
  if (type.fields.length > MAX_MAPPED_FIELDS) return { mapping: {}, passThrough: true };
  const mapping: Record<string, string> = {};
  for (const field of type.fields) mapping[escapePath(field.name)] = escapePath(field.name);
  return { mapping };
}

/**
 * `name` when it is not taken, else `name (2)`, `name (3)`… — a clash is never overwritten. The names
 * are compared without regard to case, as people read them.
 */
export function freeName(name: string, taken: Iterable<string>, maxLength = 100): string {
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  const base = name.slice(0, maxLength);
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${base.slice(0, maxLength - suffix.length)}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** Column names that usually identify a row, in the order they are preferred. */
const ID_NAMES = ['id', 'uuid', '_id', 'key', 'code', 'identifier', 'number'];

/** The column of a file that most likely identifies a row: a usual id name, else the first column. */
export function guessIdColumn(columns: readonly string[]): string {
  return columns.find((c) => ID_NAMES.includes(c.trim().toLowerCase())) ?? columns[0] ?? '';
}
