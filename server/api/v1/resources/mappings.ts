// The shapes /api/v1 answers with for mappings and their test (the mapping bench's result).
import { z } from 'zod';
import { mappingConfigSchema } from '@/server/sync/core/mapping/config';

const time = z.iso.datetime().describe('ISO 8601 time');

/**
 * A mapping's configuration as requests send it. Not a named component: a client generator would make
 * its defaulted keys required there, as it cannot tell a request's schema from an answer's.
 */
export const MappingConfig = mappingConfigSchema.describe(
  '`mapping`: output key → a path into the source object (`address.city`), a literal (`=open`) or a ' +
    'Liquid template (`{{ first }} {{ last }}`); `unset`: output paths removed; `cast`: conversions per ' +
    'output path; `passThrough`: start from a copy of the source object; `root`: map from the object at ' +
    'this path.',
);

export const Mapping = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    config: z
      .record(z.string(), z.unknown())
      .describe('The mapping configuration, as sent when it was created or changed.'),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Mapping' });

export function toMapping(m: {
  id: string;
  name: string;
  description: string;
  config: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}): z.output<typeof Mapping> {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    config: m.config,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

const Problem = z.object({
  key: z.string().describe('`mapping.<key>`, `cast.<key>`, `unset[2]`, `root`, or empty for the whole.'),
  message: z.string(),
});

export const MappingTest = z
  .object({
    ok: z.boolean(),
    result: z.record(z.string(), z.unknown()).optional().describe('The sample, mapped.'),
    missing: z
      .array(z.string())
      .optional()
      .describe('Mapped keys whose source path the sample lacks: left out of the result.'),
    problems: z.array(Problem).optional().describe('Why the mapping could not map the sample.'),
    schema: z
      .object({
        name: z.string(),
        findings: z.array(z.object({ field: z.string(), message: z.string() })),
      })
      .optional()
      .describe('Given a schemaId: where the result breaks that schema (empty when it fits).'),
  })
  .meta({ id: 'MappingTest' });

type TestOutcome =
  | { ok: true; result: Record<string, unknown>; missing: readonly string[]; schema?: unknown }
  | { ok: false; problems: readonly { key: string; message: string }[] };

export function toMappingTest(t: TestOutcome): z.output<typeof MappingTest> {
  return t.ok
    ? {
        ok: true,
        result: t.result,
        missing: [...t.missing],
        ...(t.schema ? { schema: t.schema as z.output<typeof MappingTest>['schema'] } : {}),
      }
    : { ok: false, problems: t.problems.map((p) => ({ key: p.key, message: p.message })) };
}
