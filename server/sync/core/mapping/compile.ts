// Checks a mapping configuration once and prepares it for applying to many objects. Every problem
// is reported with its key, so the form can reject an invalid mapping when it is saved.
import { MAX_NESTING, nestingReason } from '../nesting';
import { parsePath, type PathSegment } from '../paths';
import { parseCast, type ParsedCast } from './casts';
import {
  classifyMappingValue,
  mappingConfigSchema,
  MAX_OUTPUT_INDEX,
  MAX_TEMPLATE_TEXT,
  ROOT_REPLACEMENT_KEY,
  type MappingConfig,
  type MappingProblem,
} from './config';
import type { TemplateBudget } from './template-budget';
import { compileTemplate, type RenderResult } from './templates';

export type CompiledValue =
  | { readonly kind: 'path'; readonly path: string; readonly segments: readonly PathSegment[] }
  | {
      readonly kind: 'template';
      readonly render: (scope: object, budget: TemplateBudget) => RenderResult;
    }
  | { readonly kind: 'literal'; readonly value: string };

export interface CompiledMapping {
  readonly config: MappingConfig;
  readonly root: readonly PathSegment[] | null;
  /** The `#` key: the object at this source path becomes the starting output. */
  readonly base: readonly PathSegment[] | null;
  readonly entries: readonly { readonly key: string; readonly value: CompiledValue }[];
  readonly unset: readonly string[];
  readonly casts: readonly {
    readonly key: string;
    readonly casts: readonly Extract<ParsedCast, { ok: true }>[];
  }[];
}

export type CompileResult =
  | { readonly ok: true; readonly mapping: CompiledMapping }
  | { readonly ok: false; readonly problems: readonly MappingProblem[] };

export function compileMapping(input: unknown): CompileResult {
  const parsed = mappingConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      key: issue.path.join('.'),
      message: issue.message,
    }));
    return { ok: false, problems };
  }
  const config = parsed.data;
  const problems: MappingProblem[] = [];
  const templateText = Object.values(config.mapping)
    .filter((expression) => classifyMappingValue(expression) === 'template')
    .reduce((total, expression) => total + expression.length, 0);
  // Checked before anything is parsed: parsing is synchronous too.
  if (templateText > MAX_TEMPLATE_TEXT) {
    const message =
      `The templates of a mapping can be ${MAX_TEMPLATE_TEXT.toLocaleString('en')} characters long in all; ` +
      `these are ${templateText.toLocaleString('en')}`;
    return { ok: false, problems: [{ key: 'mapping', message }] };
  }
  const segmentsOf = (key: string, path: string): readonly PathSegment[] | null => {
    const result = parsePath(path);
    if (result.ok) return result.segments;
    problems.push({ key, message: result.reason });
    return null;
  };

  const root = config.root !== undefined && config.root !== '' ? segmentsOf('root', config.root) : null;
  let base: readonly PathSegment[] | null = null;
  const entries: { key: string; value: CompiledValue }[] = [];
  for (const [key, expression] of Object.entries(config.mapping)) {
    const where = `mapping.${key}`;
    if (key === ROOT_REPLACEMENT_KEY) {
      if (config.passThrough)
        problems.push({ key: where, message: '"#" and passThrough both set the start; use one' });
      if (classifyMappingValue(expression) !== 'path')
        problems.push({ key: where, message: '"#" takes a source path' });
      else base = segmentsOf(where, expression);
      continue;
    }
    const output = parsePath(key);
    if (!output.ok) problems.push({ key: where, message: `The output key is not a valid path: ${key}` });
    else {
      const tooLarge = outputBeyondBounds(output.segments);
      if (tooLarge) problems.push({ key: where, message: tooLarge });
    }
    const value = compileValue(expression);
    if (value.ok) entries.push({ key, value: value.value });
    else problems.push({ key: where, message: value.reason });
  }
  problems.push(...overlappingKeys(entries.map((entry) => entry.key)));

  config.unset.forEach((path, i) => segmentsOf(`unset[${i}]`, path));
  const casts: CompiledMapping['casts'][number][] = [];
  for (const [key, spec] of Object.entries(config.cast)) {
    segmentsOf(`cast.${key}`, key);
    const specs = Array.isArray(spec) ? spec : [spec];
    if (specs.length === 0) problems.push({ key: `cast.${key}`, message: 'No cast given' });
    const parsedCasts = specs.map((s) => parseCast(s));
    for (const cast of parsedCasts) if (!cast.ok) problems.push({ key: `cast.${key}`, message: cast.reason });
    casts.push({ key, casts: parsedCasts.filter((c): c is Extract<ParsedCast, { ok: true }> => c.ok) });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, mapping: { config, root, base, entries, unset: config.unset, casts } };
}

export type MappingValidation =
  | { readonly ok: true; readonly config: MappingConfig }
  | { readonly ok: false; readonly problems: readonly MappingProblem[] };

/** For save time: the normalised configuration, or every problem with its key. */
export function validateMapping(input: unknown): MappingValidation {
  const compiled = compileMapping(input);
  return compiled.ok ? { ok: true, config: compiled.mapping.config } : compiled;
}

function compileValue(
  expression: string,
): { ok: true; value: CompiledValue } | { ok: false; reason: string } {
  const kind = classifyMappingValue(expression);
  if (kind === 'literal') return { ok: true, value: { kind, value: expression.slice(1) } };
  if (kind === 'template') {
    const template = compileTemplate(expression);
    return template.ok ? { ok: true, value: { kind, render: template.render } } : template;
  }
  const path = parsePath(expression.trim());
  if (!path.ok) return { ok: false, reason: `${path.reason} (write "=text" for a fixed value)` };
  return { ok: true, value: { kind, path: expression.trim(), segments: path.segments } };
}

/**
 * An output key builds what it names: `x[50000000]` a list of fifty million places (each object then
 * hashed and stored with them), `a.a.a…` an object as deep as the key is long — past what Concord reads
 * anywhere else (core/nesting.ts), which hashing and every answer would fail on.
 */
function outputBeyondBounds(segments: readonly PathSegment[]): string | null {
  if (segments.length > MAX_NESTING) return nestingReason('The output key');
  const far = segments.find((s) => 'index' in s && s.index > MAX_OUTPUT_INDEX);
  if (far && 'index' in far)
    return (
      `A mapping writes list positions up to ${MAX_OUTPUT_INDEX.toLocaleString('en')}; ` +
      `this key writes at ${far.index.toLocaleString('en')}`
    );
  return null;
}

// `a` and `a.b` cannot both be written: the second would overwrite or fail on the first.
function overlappingKeys(keys: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const longer of keys) {
    const shorter = keys.find((key) => longer.startsWith(`${key}.`) || longer.startsWith(`${key}[`));
    if (shorter !== undefined) {
      problems.push({
        key: `mapping.${longer}`,
        message: `"${shorter}" is also mapped; a key cannot be both a value and a parent`,
      });
    }
  }
  return problems;
}
