// Validation problems as sentences at their fields: the one place zod issues become words. The API
// keeps them structured (`{ field, message }` per problem) and the forms show each beside its field.
import type { z } from 'zod';
import { UserError } from './errors';

export interface FieldIssue {
  /** The input path, dot separated (`sourceConfig.pagination.limit`); '' for the input as a whole. */
  readonly field: string;
  /** One sentence a person can act on. */
  readonly message: string;
}

/** Bad input with every problem at its field; the message is the problems' sentences. */
export class InvalidInput extends UserError {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(
      'BAD_REQUEST',
      issues.map((i) => i.message).join(' ') || 'The input is not valid.',
      issues[0]?.field,
    );
  }
}

// Names that humanising the key would get wrong or leave unclear.
const LABELS: Record<string, string> = {
  baseUrl: 'Base URL',
  url: 'URL',
  tokenUrl: 'Token URL',
  clientId: 'Client id',
  timeoutMs: 'Timeout (milliseconds)',
  sourceId: 'Source',
  sourceEndpoint: 'Endpoint',
  sourceIdField: 'Id field',
  idField: 'Id field',
  mappingId: 'Mapping',
  targetSourceId: 'Target source',
  targetRegisterId: 'Register',
  targetSchemaId: 'Schema',
  targetMappingId: 'Target mapping',
  deleteMode: 'Deletion policy',
  deleteThreshold: 'Approval threshold',
  scheduleCron: 'Schedule',
  scheduleTimezone: 'Time zone',
  successRetentionDays: 'Retention of successful runs (days)',
  errorRetentionDays: 'Retention of runs with errors (days)',
  maxPages: 'Max pages',
  pageSize: 'Page size',
  keyColumn: 'Key column',
  idPath: 'Id path',
  idInRequestBody: 'Id in request body',
  maxConcurrency: 'Requests at once',
  orgId: 'Organisation',
};

/** "Max pages" for `sourceConfig.maxPages`, "Query parameters › status" for a record's key. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const names = path.filter((p): p is string => typeof p === 'string');
  const last = names.at(-1);
  if (last === undefined) return 'The input';
  const known = LABELS[last];
  if (known) return known;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const count = (n: number | bigint, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

const TYPE_NOUNS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no (true or false)',
  object: 'an object',
  // z.record: a JSON object of any keys (a sample, an object's data).
  record: 'a JSON object',
  array: 'a list',
};

function phrase(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message)
        ? 'is required'
        : `must be ${TYPE_NOUNS[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const n = issue.minimum;
      if (issue.origin === 'string')
        return Number(n) <= 1 ? 'must not be empty' : `must be at least ${count(n, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${count(n, 'item')}`;
      return issue.inclusive
        ? `must be at least ${n.toLocaleString('en')}`
        : `must be more than ${n.toLocaleString('en')}`;
    }
    case 'too_big': {
      const n = issue.maximum;
      if (issue.origin === 'string') return `must be at most ${count(n, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${count(n, 'item')}`;
      return issue.inclusive
        ? `must be at most ${n.toLocaleString('en')}`
        : `must be less than ${n.toLocaleString('en')}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'must be an http(s) URL, such as https://api.example.com';
      if (issue.format === 'email') return 'must be an email address';
      return 'has the wrong format';
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => `\`${String(v)}\``).join(', ')}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return options ? `must be one of ${options.map((v) => `\`${String(v)}\``).join(', ')}` : 'is not valid';
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return 'has a key that is not valid';
    default:
      return 'is not valid';
  }
}

const sentence = (text: string) => {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.?!]$/.test(capitalised) ? capitalised : `${capitalised}.`;
};

/** Every issue as a sentence at its field; `prefix` places a nested config's issues (`sourceConfig`). */
export function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      // The schema's own message names each key and the nearest known one (core/strict-object.ts).
      return { field: [...path, issue.keys[0] ?? ''].join('.'), message: sentence(issue.message) };
    }
    if (issue.code === 'custom') return { field: path.join('.'), message: sentence(issue.message) };
    return { field: path.join('.'), message: sentence(`${fieldLabel(path)} ${phrase(issue)}`) };
  });
}

/** Parses `value` or throws InvalidInput with every problem at its field under `prefix`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidInput(issuesOf(parsed.error, prefix ? prefix.split('.') : []));
}
