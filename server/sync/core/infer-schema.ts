// A register schema (JSON Schema, draft-07) inferred from sample objects: each field's type (integers
// and decimals make numbers; mixed kinds leave the type open), `required` for the fields every sample
// has with a value, nested objects and lists inferred the same way, and the formats of strings that all
// read as one (date-time, date, email, uri). Pure: the page edits the result before it is saved.
import { valueType, type FieldType } from './discover';

type Schema = Record<string, unknown>;

const FORMATS: { name: string; test: (s: string) => boolean }[] = [
  {
    name: 'date-time',
    test: (s) =>
      /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) &&
      !Number.isNaN(Date.parse(s)),
  },
  { name: 'date', test: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) },
  { name: 'email', test: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) },
  { name: 'uri', test: (s) => /^https?:\/\/[^\s]+$/i.test(s) },
];

/** Infers the schema of a list of values that stand in one place (a field across samples, a list's items). */
function inferValues(values: readonly unknown[]): Schema {
  // A field absent from a sample is optional (not required), not nullable: only a null makes it nullable.
  const present = values.filter((v) => v !== null && v !== undefined);
  const nullable = values.some((v) => v === null);
  if (present.length === 0) return {};
  let type: FieldType | null = null;
  for (const value of present) {
    const t = valueType(value) as FieldType;
    const numbers: boolean = (type === 'integer' && t === 'number') || (type === 'number' && t === 'integer');
    type = type === null || type === t ? t : numbers ? 'number' : 'any';
  }
  if (type === null || type === 'any') return {};
  const schema: Schema = { type: nullable ? [type, 'null'] : type };
  if (type === 'string') {
    const format = FORMATS.find((f) => present.every((v) => f.test(v as string)));
    if (format) schema.format = format.name;
  } else if (type === 'object') {
    Object.assign(schema, inferObject(present as Record<string, unknown>[]));
  } else if (type === 'array') {
    const items = inferValues((present as unknown[][]).flat());
    if (Object.keys(items).length > 0) schema.items = items;
  }
  return schema;
}

function inferObject(samples: readonly Record<string, unknown>[]): Schema {
  const order: string[] = [];
  for (const sample of samples)
    for (const key of Object.keys(sample)) if (!order.includes(key)) order.push(key);
  const properties: Schema = {};
  const required: string[] = [];
  for (const key of order) {
    const values = samples.map((s) => s[key]);
    properties[key] = inferValues(values);
    if (values.every((v) => v !== null && v !== undefined)) required.push(key);
  }
  return { properties, ...(required.length ? { required } : {}) };
}

/** The JSON Schema of these sample objects (at least one). */
export function inferSchema(samples: readonly Record<string, unknown>[]): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    ...inferObject(samples),
  };
}
