// The mapping bench's check of a mapped object against the target register schema, before anything
// runs: each problem at its field, in words, with what to change. ajv finds them (services/json-schema.ts);
// this file only says them.
import type { ErrorObject } from 'ajv';
import { objectErrors } from './json-schema';

export interface SchemaFinding {
  /** The output field as a mapping key (`year`, `address.city`, `lines[0].sku`); '' for the whole object. */
  field: string;
  message: string;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'empty (null)',
};

/** The cast that turns a value into each JSON type (core/mapping/casts.ts). */
const CAST_FOR: Record<string, string> = {
  integer: 'int',
  number: 'float',
  string: 'string',
  boolean: 'bool',
  array: 'array',
  object: 'json',
};

const FORMAT_CAST: Record<string, string> = { date: 'date', 'date-time': 'datetime' };

/** `/lines/0/sku` → `lines[0].sku`, as mapping keys are written. */
export function fieldOfPointer(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the whole number ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

const quoted = (field: string) => (field ? `“${field}”` : 'The object');

function say(error: ErrorObject, value: unknown): SchemaFinding {
  const field = fieldOfPointer(error.instancePath);
  const at = valueAt(value, error.instancePath);
  switch (error.keyword) {
    case 'type': {
      const wanted = ([] as string[]).concat(error.params['type'] as string | string[]);
      const words = wanted.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      const cast = wanted.map((t) => CAST_FOR[t]).find(Boolean);
      const fix = cast
        ? `Add the cast “${cast}” to ${quoted(field)} in the mapping’s casts, or change the template so it gives ${words}.`
        : `Change the mapping so it gives ${words}, or change the schema.`;
      return {
        field,
        message: `${quoted(field)} is ${describeValue(at)}, but the schema wants ${words}. ${fix}`,
      };
    }
    case 'required': {
      const missing = String(error.params['missingProperty']);
      const child = field ? `${field}.${missing}` : missing;
      return {
        field: child,
        message: `${quoted(child)} is required by the schema, but the mapping gives it no value for this sample. Map it, or make it optional in the schema.`,
      };
    }
    case 'format': {
      const format = String(error.params['format']);
      const cast = FORMAT_CAST[format];
      return {
        field,
        message: `${quoted(field)} is ${describeValue(at)}, which is not a ${format}. ${cast ? `Add the cast “${cast}” to it in the mapping, or check the source field.` : 'Check the source field or the schema’s format.'}`,
      };
    }
    case 'enum': {
      const allowed = (error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return {
        field,
        message: `${quoted(field)} is ${describeValue(at)}; the schema allows only ${allowed}. Map the source’s values onto these, or widen the schema.`,
      };
    }
    case 'additionalProperties': {
      const extra = String(error.params['additionalProperty']);
      const child = field ? `${field}.${extra}` : extra;
      return {
        field: child,
        message: `${quoted(child)} is not in the schema, which allows no other fields. Leave it out of the mapping (or unset it), or add it to the schema.`,
      };
    }
    default:
      return {
        field,
        message: `${quoted(field)} ${error.message ?? 'is not valid'} (schema rule “${error.keyword}”). Change the mapping or the schema.`,
      };
  }
}

/** Every way `value` breaks the schema, each at its field with what to do; empty when it fits. */
export function schemaFindings(jsonSchema: Record<string, unknown>, value: unknown): SchemaFinding[] {
  // A type error on a union (["integer", "null"]) also reports the branch ajv tried; one per field is enough.
  const seen = new Set<string>();
  return objectErrors(jsonSchema, value)
    .map((error) => say(error, value))
    .filter((finding) => {
      const key = `${finding.field}\u0000${finding.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
