// JSON Schema with ajv: checks a schema itself when it is saved, and objects against it when they are
// written to the register. Draft-07 by default; 2020-12 when the schema says so in `$schema`.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';
import { UserError } from './errors';

/**
 * `pattern` and `patternProperties` run on RE2 (re2js: linear time in the value's length), not on V8's
 * backtracking engine. A schema is written by any member (or API key) of an organisation and its
 * patterns run in the one process every organisation shares: `^(a+)+$` against 30 letters held it for
 * 7 s, against 40 it would for hours. The pattern's JavaScript syntax is translated (`\u0041`, `[^]`, …);
 * what RE2 cannot run in linear time (lookahead, backreferences) throws here, so such a schema is
 * refused when it is saved, with this message.
 */
const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string) => {
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.LOOKBEHINDS);
    } catch (error) {
      const why =
        error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
      throw new Error(
        `The pattern ${JSON.stringify(pattern)} cannot be used (${why}): Concord runs patterns in time ` +
          'linear in the value, which rules out lookahead and backreferences.',
      );
    }
    // ajv keeps one compiled pattern per toString(): each pattern needs its own.
    return { test: (value: string) => compiled.test(value), toString: () => `re2:${pattern}` };
  },
  { code: 'linearRegExp' },
);

function makeAjv<T extends Ajv>(ctor: new (opts: object) => T): T {
  const ajv = new ctor({
    allErrors: true,
    strict: false,
    validateSchema: true,
    // Each schema compiled on its own: ajv would otherwise keep every schema with an `$id` it compiled,
    // so the next compile of that schema (the next run, an edit) failed as "already exists", and one
    // organisation's `$id` could be `$ref`erenced, or taken, by another's (the instances are shared).
    addUsedSchema: false,
    code: { regExp: linearRegExp },
  });
  addFormats(ajv);
  return ajv;
}

const draft07 = makeAjv(Ajv);
const draft2020 = makeAjv(Ajv2020 as unknown as new (opts: object) => Ajv);

const ajvFor = (schema: Record<string, unknown>) =>
  typeof schema.$schema === 'string' && schema.$schema.includes('2020-12') ? draft2020 : draft07;

export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`.trim());
}

/** The problems with a JSON Schema document itself; empty when it can be used. */
export function checkJsonSchema(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return ['A schema must be a JSON object'];
  const record = schema as Record<string, unknown>;
  const ajv = ajvFor(record);
  if (!ajv.validateSchema(record)) return describeErrors(ajv.errors);
  try {
    ajv.compile(record);
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

// Compiled validators are cached per schema document (schemas are re-read per run, rarely change).
const cache = new WeakMap<object, ValidateFunction>();

export type ObjectCheck = { ok: true } | { ok: false; problems: string[] };

function compiled(schema: Record<string, unknown>): ValidateFunction {
  let validate = cache.get(schema);
  if (!validate) {
    try {
      validate = ajvFor(schema).compile(schema);
    } catch (error) {
      // A schema saved before a check it now fails (a lookahead pattern, saved before RE2): said as
      // the schema's problem, to be fixed on its page, not as an internal error.
      const why = error instanceof Error ? error.message : String(error);
      throw new UserError('BAD_REQUEST', `The register schema cannot be used: ${why}`, 'jsonSchema');
    }
    cache.set(schema, validate);
  }
  return validate;
}

export function compileObjectValidator(schema: Record<string, unknown>): (value: unknown) => ObjectCheck {
  const fn = compiled(schema);
  return (value) =>
    fn(value) ? { ok: true } : { ok: false, problems: describeWithValues(fn.errors, value) };
}

// Problems about a value that is there (its type, its pattern, its range…), which a run's log shows with
// that value: "/depth_m must be number (got "")" says what to fix in the source.
const ABOUT_THE_VALUE = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
]);
const SHOWN_CHARACTERS = 60;

function describeWithValues(errors: ErrorObject[] | null | undefined, value: unknown): string[] {
  return (errors ?? []).map((e) => {
    const problem = `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`.trim();
    if (!ABOUT_THE_VALUE.has(e.keyword)) return problem;
    const at = valueAt(value, e.instancePath);
    if (at === undefined) return problem;
    const text = JSON.stringify(at);
    const shown = text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text;
    return `${problem} (got ${shown})`;
  });
}

/** The value at a JSON Pointer (ajv's instancePath), or undefined. */
function valueAt(value: unknown, pointer: string): unknown {
  let at = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** ajv's errors for one object (empty when it is valid), for callers that place them at fields. */
export function objectErrors(schema: Record<string, unknown>, value: unknown): ErrorObject[] {
  const fn = compiled(schema);
  return fn(value) ? [] : [...(fn.errors ?? [])];
}
