// The shape of a mapping's configuration (OpenConnector-compatible), as a zod schema so the API, the
// UI and the engine read the same definition.
import { z } from 'zod';
import { strictObject } from '../strict-object';

/**
 * Bounds that keep one mapping's work per object small (every object of a run is mapped, and a preview
 * is open to viewers): keys per section, and the text of all its templates together (liquidjs parses
 * in one go; the rendering has its own budget per object, see template-budget.ts).
 */
export const MAX_MAPPING_KEYS = 500;
export const MAX_TEMPLATE_TEXT = 50_000;
/** The last list position an output key may write (`lines[9999].sku`): the list is made that long. */
export const MAX_OUTPUT_INDEX = 9_999;

const tooMany = (what: string) => `A mapping can have at most ${MAX_MAPPING_KEYS} ${what}`;

/**
 * How a mapping value is read:
 * - contains `{{` or `{%`  → a Liquid template rendered against the source object (result is text);
 * - starts with `=`        → a literal: `=open` is the text "open", `==x` is "=x";
 * - anything else          → a dot path into the source (`name`, `address.city`, `lines[0].sku`,
 *                            `@attributes.id`); a path the object lacks leaves the key out.
 */
export const mappingConfigSchema = strictObject({
  mapping: z
    .record(z.string(), z.string())
    .refine((mapping) => Object.keys(mapping).length <= MAX_MAPPING_KEYS, tooMany('mapped keys'))
    .default({}),
  /** Output paths removed after mapping (useful with passThrough). */
  unset: z.array(z.string()).max(MAX_MAPPING_KEYS, tooMany('unset paths')).default([]),
  /** Casts per output path, applied in order after `unset`. */
  cast: z
    .record(z.string(), z.union([z.string(), z.array(z.string()).max(20, 'At most 20 casts per key')]))
    .refine((cast) => Object.keys(cast).length <= MAX_MAPPING_KEYS, tooMany('cast keys'))
    .default({}),
  /** Start from a copy of the source object, then apply the mapping on top. */
  passThrough: z.boolean().default(false),
  /** Map from the object at this source path instead of the whole source object. */
  root: z.string().optional(),
});

export type MappingConfig = z.infer<typeof mappingConfigSchema>;
export type MappingConfigInput = z.input<typeof mappingConfigSchema>;

/** OpenConnector's "replace the whole output with this value" key: `"#": "payload"`. */
export const ROOT_REPLACEMENT_KEY = '#';

export type MappingValueKind = 'path' | 'template' | 'literal';

export function classifyMappingValue(expression: string): MappingValueKind {
  if (expression.includes('{{') || expression.includes('{%')) return 'template';
  if (expression.startsWith('=')) return 'literal';
  return 'path';
}

/** A problem with one key of the configuration, shown beside that key in the form. */
export interface MappingProblem {
  /** `mapping.<key>`, `cast.<key>`, `unset[2]`, `root` — or `` for the whole configuration. */
  readonly key: string;
  readonly message: string;
}
