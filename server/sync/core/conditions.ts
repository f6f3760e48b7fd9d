// Conditions: a JSON Logic rule (json-logic-js) deciding which source objects take part in a sync.
// Rules are checked when saved, so an unknown operator is a reason on the form, not a failed run.
import jsonLogic from 'json-logic-js';
import { nestedDeeperThan, nestingReason } from './nesting';
import { isRecord } from './paths';

/**
 * `var` as json-logic-js reads it (dot-separated keys, `null` or the default when missing), plus the
 * escape of mapping paths (paths.ts): a backslash makes the next character literal, so
 * `{"var": "a\\.b"}` in JSON reads the key `a.b` — otherwise out of reach of a rule. json-logic-js keeps
 * one table of operations per process; conditions are its only user, and `missing` reads through it too.
 */
function readVar(this: unknown, path?: unknown, fallback?: unknown): unknown {
  return readAt(this, path, fallback);
}

function readAt(root: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (path === undefined || path === null || path === '') return root;
  if (typeof path !== 'string' && typeof path !== 'number') return notFound;
  let data = root;
  for (const key of varKeys(String(path))) {
    if (data === null || data === undefined) return notFound;
    // Own fields only, as mapping paths read (paths.ts): an object without a `constructor` field must
    // not hold JavaScript's Object function there. A text's or list's own `length` and positions count.
    if (!Object.hasOwn(Object(data) as object, key)) return notFound;
    data = (data as Record<string, unknown>)[key];
    if (data === undefined) return notFound;
  }
  return data;
}

function varKeys(path: string): string[] {
  if (!path.includes('\\')) return path.split('.');
  const keys: string[] = [];
  let key = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    if (char === '\\' && i + 1 < path.length) key += path[++i];
    else if (char === '.') {
      keys.push(key);
      key = '';
    } else key += char;
  }
  keys.push(key);
  return keys;
}

jsonLogic.add_operation('var', readVar);

/**
 * Time one evaluation of a rule may take (one object), as a mapping's templates have (template-budget.ts):
 * json-logic-js runs synchronously, holding the process every organisation shares, and a rule of a few
 * kilobytes — `some` over a literal list inside another, three deep — makes millions of steps per object.
 */
export const CONDITIONS_TIME_BUDGET_MS = 40;
const CLOCK_EVERY = 256;

class OutOfTime extends Error {}

// json-logic-js reaches every operation and argument through `jsonLogic.apply` (looked up on each call),
// so the deadline wrapped around it is checked all the way down, inside map, filter, reduce and the rest.
let deadline = Number.POSITIVE_INFINITY;
let steps = 0;
const applyRule = jsonLogic.apply;
jsonLogic.apply = (logic, data): unknown => {
  if (++steps % CLOCK_EVERY === 0 && performance.now() > deadline) throw new OutOfTime();
  return applyRule(logic, data) as unknown;
};

/** A JSON Logic rule. null, undefined and `{}` mean "no conditions": every object passes. */
export type ConditionsRule = unknown;

// json-logic-js's own operators, minus `log` (it writes to the server console).
// prettier-ignore
const OPERATORS = new Set([
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and',
  '>', '>=', '<', '<=', 'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all',
  'none', 'some', 'merge', 'in', 'cat', 'substr',
]);

export type ConditionsValidation =
  { readonly ok: true } | { readonly ok: false; readonly problems: string[] };

export type ConditionsResult =
  { readonly ok: true; readonly pass: boolean } | { readonly ok: false; readonly reason: string };

export function hasConditions(rule: ConditionsRule): boolean {
  return !(rule === null || rule === undefined || (isRecord(rule) && Object.keys(rule).length === 0));
}

export function validateConditions(rule: ConditionsRule): ConditionsValidation {
  if (!hasConditions(rule)) return { ok: true };
  if (!isRecord(rule) && typeof rule !== 'boolean') {
    return {
      ok: false,
      problems: ['The conditions must be a JSON Logic rule such as {"==": [{"var": "status"}, "open"]}'],
    };
  }
  // Walked (and evaluated) by recursion: deeper than data may be nested, it would overflow the stack.
  if (nestedDeeperThan(rule)) return { ok: false, problems: [nestingReason('The rule')] };
  const problems: string[] = [];
  walk(rule, 'the rule', problems);
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

function walk(node: unknown, where: string, problems: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${where}, argument ${i + 1}`, problems));
    return;
  }
  if (!isRecord(node)) return;
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    problems.push(
      `In ${where}: an operation has exactly one operator, found ${keys.length} (${keys.join(', ')})`,
    );
    return;
  }
  const operator = keys[0] as string;
  if (!OPERATORS.has(operator)) {
    problems.push(`In ${where}: unknown operator "${operator}"`);
    return;
  }
  walk(node[operator], `"${operator}"`, problems);
}

/** Evaluates the rule against one source object; an evaluation error is a reason, not an exception. */
export function evaluateConditions(rule: ConditionsRule, object: unknown): ConditionsResult {
  if (!hasConditions(rule)) return { ok: true, pass: true };
  deadline = performance.now() + CONDITIONS_TIME_BUDGET_MS;
  steps = 0;
  try {
    const outcome: unknown = jsonLogic.apply(rule as Parameters<typeof jsonLogic.apply>[0], object);
    return { ok: true, pass: jsonLogic.truthy(outcome) };
  } catch (error) {
    if (error instanceof OutOfTime)
      return {
        ok: false,
        reason:
          `The conditions ran out of time: a rule gets ${CONDITIONS_TIME_BUDGET_MS} ms per object ` +
          '(an operation over a long list inside another is the usual cause)',
      };
    return { ok: false, reason: `The conditions could not be evaluated: ${(error as Error).message}` };
  } finally {
    deadline = Number.POSITIVE_INFINITY;
  }
}
