// Reading configuration back from the database: strict on input, tolerant on read. A row saved by an
// older Concord may hold a setting this version no longer knows; it is left out (and logged), so the
// synchronisation still runs and its form still opens, instead of failing on a key nobody can fix.
import type { z } from 'zod';
import { mappingConfigSchema } from '../core/mapping/config';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `value` without the keys at `path`. */
function without(value: unknown, path: readonly PropertyKey[], keys: readonly string[]): unknown {
  if (path.length === 0) {
    if (!isRecord(value)) return value;
    const copy = { ...value };
    for (const key of keys) delete copy[key];
    return copy;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') {
    return (value as unknown[]).map((item, i) => (i === head ? without(item, rest, keys) : item));
  }
  if (isRecord(value) && typeof head === 'string' && head in value) {
    return { ...value, [head]: without(value[head], rest, keys) };
  }
  return value;
}

/**
 * Parses a stored configuration with `schema`, leaving out keys the schema does not know. `what` names
 * it in the log ("synchronisation syn_… source settings"). Other problems fail as they would on input.
 */
export function readStored<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.ZodSafeParseResult<z.output<S>> {
  let current = value;
  const ignored: string[] = [];
  // Each pass removes the unknown keys zod reached; a removed key can hide no others, so two passes do.
  for (let pass = 0; pass < 3; pass++) {
    const parsed = schema.safeParse(current);
    const unknown = parsed.success ? [] : parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
    if (unknown.length === 0) {
      if (ignored.length > 0) {
        console.warn(`${what}: ignored settings this version does not know: ${ignored.join(', ')}`);
      }
      return parsed;
    }
    for (const issue of unknown) {
      current = without(current, issue.path, issue.keys);
      ignored.push(...issue.keys.map((key) => [...issue.path, key].join('.')));
    }
  }
  return schema.safeParse(current);
}

/** A stored mapping's configuration without keys this version does not know; compiled as before. */
export function storedMapping(config: unknown, mappingId: string): unknown {
  const parsed = readStored(mappingConfigSchema, config, `mapping ${mappingId}`);
  return parsed.success ? parsed.data : config;
}
