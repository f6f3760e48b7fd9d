// Applies a compiled mapping to one source object: root → start (passThrough or `#`) → mapped keys →
// unset → casts. Problems come back per key as values; the source object is never modified.
// All templates of the object share one budget (template-budget.ts), started at its first template.
import { getPath, isRecord, lookupPath, setPath, unsetPath } from '../paths';
import type { CompiledMapping, CompiledValue } from './compile';
import type { MappingProblem } from './config';
import { newTemplateBudget, type TemplateBudget } from './template-budget';

export type MappingOutcome =
  | {
      readonly ok: true;
      readonly value: Record<string, unknown>;
      /** Mapped keys whose source path this object lacks (left out of the output). */
      readonly missing: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly MappingProblem[] };

export function applyMapping(
  mapping: CompiledMapping,
  source: Record<string, unknown>,
  makeBudget: () => TemplateBudget = newTemplateBudget,
): MappingOutcome {
  const errors: MappingProblem[] = [];
  const missing: string[] = [];
  let input: unknown = source;
  if (mapping.root) {
    const lookup = lookupPath(source, mapping.root);
    if (!lookup.found || !isRecord(lookup.value)) {
      return {
        ok: false,
        errors: [{ key: 'root', message: `The source has no object at "${mapping.config.root}"` }],
      };
    }
    input = lookup.value;
  }
  const scope = input as Record<string, unknown>;

  let output: Record<string, unknown> = {};
  if (mapping.config.passThrough) output = structuredClone(scope);
  if (mapping.base) {
    const start = getPath(scope, mapping.base);
    if (!isRecord(start))
      return { ok: false, errors: [{ key: 'mapping.#', message: 'The "#" path does not hold an object' }] };
    output = structuredClone(start);
  }

  let budget: TemplateBudget | null = null;
  for (const { key, value } of mapping.entries) {
    if (value.kind === 'template') budget ??= makeBudget();
    const resolved = resolve(value, scope, budget);
    if (resolved.kind === 'missing') {
      missing.push(key);
      continue;
    }
    if (resolved.kind === 'error') {
      errors.push({ key: `mapping.${key}`, message: resolved.reason });
      // The object's budget is spent: every further template would fail the same way.
      if (resolved.budget) break;
      continue;
    }
    const set = setPath(output, key, resolved.value);
    if (!set.ok) errors.push({ key: `mapping.${key}`, message: set.reason });
  }

  for (const path of mapping.unset) unsetPath(output, path);

  for (const { key, casts } of mapping.casts) {
    const lookup = lookupPath(output, key);
    if (!lookup.found) continue;
    let current: unknown = lookup.value;
    let write = true;
    for (const cast of casts) {
      const outcome = cast.apply(current, key);
      if (outcome.kind === 'error') {
        errors.push({ key: `cast.${key}`, message: `${outcome.reason} (cast ${cast.name})` });
        write = false;
        break;
      }
      if (outcome.kind === 'unset') {
        unsetPath(output, key);
        write = false;
        break;
      }
      current = outcome.value;
    }
    if (write) setPath(output, key, current);
  }

  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: output, missing };
}

type Resolved =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'missing' }
  | { readonly kind: 'error'; readonly reason: string; readonly budget?: true };

function resolve(
  value: CompiledValue,
  scope: Record<string, unknown>,
  budget: TemplateBudget | null,
): Resolved {
  switch (value.kind) {
    case 'literal':
      return { kind: 'value', value: value.value };
    case 'template': {
      const rendered = value.render(scope, budget ?? newTemplateBudget());
      if (rendered.ok) return { kind: 'value', value: rendered.text };
      return rendered.budget
        ? { kind: 'error', reason: rendered.reason, budget: true }
        : { kind: 'error', reason: rendered.reason };
    }
    case 'path': {
      const lookup = lookupPath(scope, value.segments);
      // Cloned so a later unset or cast on the output never reaches back into the source object.
      return lookup.found ? { kind: 'value', value: clone(lookup.value) } : { kind: 'missing' };
    }
  }
}

function clone(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
