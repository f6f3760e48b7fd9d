// Conditions: a JSON Logic rule (json-logic-js) deciding which source objects take part in a sync.
// Rules are checked when saved, so an unknown operator is a reason on the form, not a failed run.
import jsonLogic from 'json-logic-js';
import { isRecord } from './paths';

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
  try {
    const outcome: unknown = jsonLogic.apply(rule as Parameters<typeof jsonLogic.apply>[0], object);
    return { ok: true, pass: jsonLogic.truthy(outcome) };
  } catch (error) {
    return { ok: false, reason: `The conditions could not be evaluated: ${(error as Error).message}` };
  }
}
