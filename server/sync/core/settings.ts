// Turns a sync's saved engine configuration into ready-to-run settings, or the reasons it cannot run.
// Called on save (to reject bad config) and at run start (config may predate a rule change).
import { validateConditions } from './conditions';
import type { EngineSettings } from './one-way';
import { DEFAULT_ID_FIELD } from './ids';
import { compileMapping } from './mapping/compile';
import { parsePath } from './paths';
import type { SubObjectSettings } from './sub-objects';

export interface SubObjectEngineConfig {
  readonly path: string;
  readonly idField?: string | null;
  /** The children's mapping configuration, or null to write them as they come. */
  readonly mapping?: unknown;
  readonly mappingChangedAt?: Date | null;
}

export interface EngineConfig {
  readonly sourceIdField?: string | null;
  readonly conditions?: unknown;
  /** The mapping configuration (see mapping/config.ts), or null for objects as they come. */
  readonly mapping?: unknown;
  readonly hashFields?: readonly string[] | null;
  readonly subObjects?: readonly SubObjectEngineConfig[];
}

type Problem = { readonly key: string; readonly message: string };

export type PreparedSettings =
  | {
      readonly ok: true;
      readonly idField: string;
      readonly settings: EngineSettings;
      readonly subObjects: readonly SubObjectSettings[];
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function prepareSettings(config: EngineConfig): PreparedSettings {
  const problems: Problem[] = [];
  const idField = config.sourceIdField?.trim() || DEFAULT_ID_FIELD;
  const idPath = parsePath(idField);
  if (!idPath.ok) problems.push({ key: 'sourceIdField', message: idPath.reason });
  const conditions = validateConditions(config.conditions);
  if (!conditions.ok)
    problems.push(...conditions.problems.map((message) => ({ key: 'conditions', message })));
  (config.hashFields ?? []).forEach((field, i) => {
    const path = parsePath(field);
    if (!path.ok) problems.push({ key: `hashFields[${i}]`, message: path.reason });
  });
  const mapping = compileOptional(config.mapping, 'mapping', problems);
  const paths = new Set<string>();
  const subObjects = (config.subObjects ?? []).map((sub, i) => {
    // The same path twice would give two configurations the same children (and origin ids).
    if (paths.has(sub.path))
      problems.push({ key: `subObjects[${i}].path`, message: `"${sub.path}" is configured twice` });
    paths.add(sub.path);
    return prepareSubObject(sub, i, problems);
  });
  if (problems.length > 0) return { ok: false, problems };
  const hashFields = config.hashFields && config.hashFields.length > 0 ? config.hashFields : null;
  return {
    ok: true,
    idField,
    settings: { conditions: config.conditions ?? null, mapping, hashFields },
    subObjects,
  };
}

function compileOptional(input: unknown, key: string, problems: Problem[]): EngineSettings['mapping'] {
  if (input === null || input === undefined) return null;
  const compiled = compileMapping(input);
  if (compiled.ok) return compiled.mapping;
  problems.push(...compiled.problems.map((p) => ({ ...p, key: `${key}.${p.key}` })));
  return null;
}

function prepareSubObject(sub: SubObjectEngineConfig, i: number, problems: Problem[]): SubObjectSettings {
  const key = `subObjects[${i}]`;
  const path = parsePath(sub.path);
  if (!path.ok) problems.push({ key: `${key}.path`, message: path.reason });
  const idField = sub.idField?.trim() || DEFAULT_ID_FIELD;
  const idPath = parsePath(idField);
  if (!idPath.ok) problems.push({ key: `${key}.idField`, message: idPath.reason });
  const mapping = compileOptional(sub.mapping, `${key}.mapping`, problems);
  return {
    path: sub.path,
    idField,
    settings: { conditions: null, mapping, hashFields: null },
    mappingChangedAt: sub.mappingChangedAt ?? null,
  };
}
