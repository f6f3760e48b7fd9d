// Mappings: validated with the engine's mapping language when saved, and tried on a sample object.
import { and, asc, eq, or } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { mappings, synchronisations } from '../db/schema';
import { applyMapping, compileMapping, validateMapping } from '../sync/core';
import { nestedDeeperThan, nestingReason } from '../sync/core/nesting';
import { storedMapping } from '../sync/config/stored';
import { UserError, notFound } from './errors';
import { previewShare } from './preview-share';
import { loadSchema } from './registers';
import { schemaFindings } from './schema-check';

function validConfig(config: unknown): Record<string, unknown> {
  const result = validateMapping(config);
  if (!result.ok) {
    const problems = result.problems.map((p) => (p.key ? `${p.key}: ${p.message}` : p.message));
    throw new UserError(
      'BAD_REQUEST',
      `The mapping is invalid: ${problems.join('; ')}`,
      result.problems[0]?.key,
    );
  }
  return result.config;
}

export async function listMappings(db: Db, orgId: string) {
  return db.select().from(mappings).where(eq(mappings.orgId, orgId)).orderBy(asc(mappings.name));
}

export async function loadMapping(db: Db | Tx, orgId: string, mappingId: string) {
  const [row] = await db
    .select()
    .from(mappings)
    .where(and(eq(mappings.orgId, orgId), eq(mappings.id, mappingId)));
  if (!row) throw notFound('The mapping');
  return row;
}

/**
 * One of this organisation's mappings that compiles, for a synchronisation to use at `field`; otherwise a
 * sentence at that field. `what`: how the sentence names it ("The write-back mapping").
 */
export async function loadRunnableMapping(
  db: Db | Tx,
  orgId: string,
  mappingId: string,
  field: string,
  what: string,
) {
  const [row] = await db
    .select()
    .from(mappings)
    .where(and(eq(mappings.orgId, orgId), eq(mappings.id, mappingId)));
  if (!row)
    throw new UserError(
      'BAD_REQUEST',
      `${what} was not found: choose one of this organisation's mappings.`,
      field,
    );
  const compiled = compileMapping(storedMapping(row.config, row.id));
  if (!compiled.ok) {
    const problems = compiled.problems.map((p) => `${p.key}: ${p.message}`).join('; ');
    throw new UserError('BAD_REQUEST', `${what} cannot run: ${problems}.`, field);
  }
  return row;
}

export interface MappingInput {
  name: string;
  description?: string;
  config: unknown;
}

export async function createMapping(db: Db | Tx, orgId: string, input: MappingInput) {
  const [row] = await db
    .insert(mappings)
    .values({
      orgId,
      name: input.name.trim(),
      description: input.description ?? '',
      config: validConfig(input.config),
    })
    .returning();
  return row!;
}

export async function updateMapping(db: Db, orgId: string, mappingId: string, input: Partial<MappingInput>) {
  const current = await loadMapping(db, orgId, mappingId);
  const [row] = await db
    .update(mappings)
    .set({
      name: input.name?.trim() ?? current.name,
      description: input.description ?? current.description,
      config: input.config === undefined ? current.config : validConfig(input.config),
    })
    .where(and(eq(mappings.orgId, orgId), eq(mappings.id, mappingId)))
    .returning();
  return row!;
}

export async function deleteMapping(db: Db, orgId: string, mappingId: string) {
  await loadMapping(db, orgId, mappingId);
  const used = await db
    .select({ name: synchronisations.name })
    .from(synchronisations)
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        // A write-back mapping too: without it a two-way synchronisation would write the register's
        // objects to the source as they are.
        or(
          eq(synchronisations.mappingId, mappingId),
          eq(synchronisations.targetMappingId, mappingId),
          eq(synchronisations.writeBackMappingId, mappingId),
        ),
      ),
    );
  if (used.length)
    throw new UserError(
      'CONFLICT',
      `Used by: ${used.map((u) => u.name).join(', ')}. Change or delete those first.`,
    );
  await db.delete(mappings).where(and(eq(mappings.orgId, orgId), eq(mappings.id, mappingId)));
}

/** The test bench for an organisation: previewMapping within the organisation's share of time. */
export function previewMappingFor(orgId: string, config: unknown, sample: Record<string, unknown>) {
  return previewShare.run(orgId, () => previewMapping(config, sample));
}

/**
 * The test bench: the mapping tried on a sample and, given a register schema, the mapped object checked
 * against it (each problem at its field, with what to do). Shared by the bench and the public API.
 */
export async function testMappingFor(
  db: Db,
  orgId: string,
  input: { config: unknown; sample: Record<string, unknown>; schemaId?: string },
) {
  const result = previewMappingFor(orgId, input.config, input.sample);
  if (!input.schemaId || !result.ok) return result;
  const schema = await loadSchema(db, orgId, input.schemaId);
  return {
    ...result,
    schema: { name: schema.name, findings: schemaFindings(schema.jsonSchema, result.result) },
  };
}

/** The mapped result of one sample object, or every problem found (one template budget in all). */
export function previewMapping(config: unknown, sample: Record<string, unknown>) {
  if (nestedDeeperThan(sample))
    throw new UserError('BAD_REQUEST', `${nestingReason('The sample')}.`, 'sample');
  const compiled = compileMapping(config);
  if (!compiled.ok) return { ok: false as const, problems: compiled.problems };
  const outcome = applyMapping(compiled.mapping, sample);
  return outcome.ok
    ? { ok: true as const, result: outcome.value, missing: outcome.missing }
    : { ok: false as const, problems: outcome.errors };
}
