// Turns a sync's saved engine configuration into ready-to-run settings, or the reasons it cannot run.
// Called on save (to reject bad config) and at run start (config may predate a rule change).
import { validateConditions } from './conditions';
import type { EngineSettings } from './decisions';
import { DEFAULT_ID_FIELD } from './ids';
import { compileMapping } from './mapping/compile';
import { parsePath } from './paths';

export interface EngineConfig {
  readonly sourceIdField?: string | null;
  readonly conditions?: unknown;
  /** The mapping configuration (see mapping/config.ts), or null for objects as they come. */
  readonly mapping?: unknown;
  readonly hashFields?: readonly string[] | null;
}

export type PreparedSettings =
  | { readonly ok: true; readonly idField: string; readonly settings: EngineSettings }
  | { readonly ok: false; readonly problems: readonly { readonly key: string; readonly message: string }[] };

export function prepareSettings(config: EngineConfig): PreparedSettings {
  const problems: { key: string; message: string }[] = [];
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
  const mapping =
    config.mapping === null || config.mapping === undefined ? null : compileMapping(config.mapping);
  if (mapping && !mapping.ok)
    problems.push(...mapping.problems.map((p) => ({ ...p, key: `mapping.${p.key}` })));
  if (problems.length > 0) return { ok: false, problems };
  const hashFields = config.hashFields && config.hashFields.length > 0 ? config.hashFields : null;
  return {
    ok: true,
    idField,
    settings: {
      conditions: config.conditions ?? null,
      mapping: mapping?.ok ? mapping.mapping : null,
      hashFields,
    },
  };
}
