// Registers, their schemas (JSON Schema, checked on save) and the objects stored in them.
import { and, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, Tx } from '../db/client';
import {
  objectColumns,
  objects,
  objectsOfOrg,
  objectsSchema,
  registers,
  schemas,
  sources,
  synchronisations,
  users,
} from '../db/schema';
import { checkJsonSchema } from './json-schema';
import { UserError, notFound } from './errors';

export async function listRegisters(db: Db, orgId: string) {
  const rows = await db
    .select()
    .from(registers)
    .where(eq(registers.orgId, orgId))
    .orderBy(asc(registers.name));
  const schemaRows = await db
    .select({ id: schemas.id, registerId: schemas.registerId, name: schemas.name })
    .from(schemas)
    .where(eq(schemas.orgId, orgId))
    .orderBy(asc(schemas.name));
  return rows.map((r) => ({ ...r, schemas: schemaRows.filter((s) => s.registerId === r.id) }));
}

export async function loadRegister(db: Db | Tx, orgId: string, registerId: string) {
  const [row] = await db
    .select()
    .from(registers)
    .where(and(eq(registers.orgId, orgId), eq(registers.id, registerId)));
  if (!row) throw notFound('The register');
  return row;
}

export async function createRegister(
  db: Db | Tx,
  orgId: string,
  input: { name: string; description?: string },
) {
  const [row] = await db
    .insert(registers)
    .values({ orgId, name: input.name.trim(), description: input.description ?? '' })
    .returning();
  return row!;
}

export async function updateRegister(
  db: Db,
  orgId: string,
  registerId: string,
  input: { name?: string; description?: string },
) {
  await loadRegister(db, orgId, registerId);
  const [row] = await db
    .update(registers)
    .set({
      ...(input.name ? { name: input.name.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    })
    .where(and(eq(registers.orgId, orgId), eq(registers.id, registerId)))
    .returning();
  return row!;
}

/**
 * A register or schema in use is not deleted: a synchronisation writes into it, or a register source
 * reads it (a push synchronisation's objects, which would all be gone without a word).
 */
async function assertUnused(db: Db, orgId: string, by: { registerId: string } | { schemaId: string }) {
  const [column, key, id] =
    'registerId' in by
      ? ([synchronisations.targetRegisterId, '$.registerId', by.registerId] as const)
      : ([synchronisations.targetSchemaId, '$.schemaId', by.schemaId] as const);
  const writers = await db
    .select({ name: synchronisations.name })
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(column, id)));
  const readers = await db
    .select({ name: sources.name })
    .from(sources)
    .where(
      and(
        eq(sources.orgId, orgId),
        eq(sources.type, 'register'),
        sql`json_extract(${sources.config}, ${key}) = ${id}`,
      ),
    );
  const used = [...writers, ...readers];
  if (used.length)
    throw new UserError(
      'CONFLICT',
      `Used by: ${used.map((u) => u.name).join(', ')}. Change or delete those first.`,
    );
}

export async function deleteRegister(db: Db, orgId: string, registerId: string) {
  await loadRegister(db, orgId, registerId);
  await assertUnused(db, orgId, { registerId });
  await db.delete(registers).where(and(eq(registers.orgId, orgId), eq(registers.id, registerId)));
}

function validSchema(jsonSchema: unknown): Record<string, unknown> {
  const problems = checkJsonSchema(jsonSchema);
  if (problems.length)
    throw new UserError('BAD_REQUEST', `The JSON Schema is invalid: ${problems.join('; ')}`, 'jsonSchema');
  return jsonSchema as Record<string, unknown>;
}

export async function loadSchema(db: Db | Tx, orgId: string, schemaId: string) {
  const [row] = await db
    .select()
    .from(schemas)
    .where(and(eq(schemas.orgId, orgId), eq(schemas.id, schemaId)));
  if (!row) throw notFound('The schema');
  return row;
}

export interface SchemaInput {
  name: string;
  description?: string;
  jsonSchema: unknown;
}

export async function createSchema(db: Db | Tx, orgId: string, registerId: string, input: SchemaInput) {
  await loadRegister(db, orgId, registerId);
  const jsonSchema = validSchema(input.jsonSchema);
  const [row] = await db
    .insert(schemas)
    .values({ orgId, registerId, name: input.name.trim(), description: input.description ?? '', jsonSchema })
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw new UserError(
      'CONFLICT',
      `This register already has a schema called "${input.name.trim()}"`,
      'name',
    );
  return row;
}

export async function updateSchema(db: Db, orgId: string, schemaId: string, input: Partial<SchemaInput>) {
  const current = await loadSchema(db, orgId, schemaId);
  const [row] = await db
    .update(schemas)
    .set({
      name: input.name?.trim() ?? current.name,
      description: input.description ?? current.description,
      jsonSchema: input.jsonSchema === undefined ? current.jsonSchema : validSchema(input.jsonSchema),
    })
    .where(and(eq(schemas.orgId, orgId), eq(schemas.id, schemaId)))
    .returning();
  return row!;
}

export async function deleteSchema(db: Db, orgId: string, schemaId: string) {
  await loadSchema(db, orgId, schemaId);
  await assertUnused(db, orgId, { schemaId });
  await db.delete(schemas).where(and(eq(schemas.orgId, orgId), eq(schemas.id, schemaId)));
}

export async function getObject(db: Db, orgId: string, objectId: string) {
  const [row] = await db
    .select(objectColumns)
    .from(objects)
    .innerJoin(schemas, objectsSchema)
    .where(and(objectsOfOrg(orgId), eq(objects.id, objectId)));
  if (!row) throw notFound('The object');
  return row;
}

const creator = alias(users, 'creator');
const editor = alias(users, 'editor');

/** Objects with who created them and who changed them last: a person, or a synchronisation. */
export function withAuthors(db: Db, orgId: string) {
  return db
    .select({
      object: objects,
      schemaId: schemas.id,
      registerId: schemas.registerId,
      createdByName: creator.name,
      updatedByName: editor.name,
      // The object names its writer by number; null once that synchronisation is deleted.
      updatedBySync: synchronisations.id,
      updatedBySyncName: synchronisations.name,
    })
    .from(objects)
    .innerJoin(schemas, objectsSchema)
    .leftJoin(creator, eq(creator.id, objects.createdBy))
    .leftJoin(editor, eq(editor.id, objects.updatedBy))
    .leftJoin(
      synchronisations,
      and(eq(synchronisations.seq, objects.updatedBySyncSeq), eq(synchronisations.orgId, orgId)),
    )
    .$dynamic();
}

type Authored = {
  object: typeof objects.$inferSelect;
  schemaId: string;
  registerId: string;
  createdByName: string | null;
  updatedByName: string | null;
  updatedBySync: string | null;
  updatedBySyncName: string | null;
};
export const flattenAuthored = ({ object, ...names }: Authored) => ({ ...object, ...names });

/** One object with the names of who created it and who changed it last. */
export async function objectDetail(db: Db, orgId: string, objectId: string) {
  const [row] = await withAuthors(db, orgId).where(and(objectsOfOrg(orgId), eq(objects.id, objectId)));
  if (!row) throw notFound('The object');
  return flattenAuthored(row);
}
