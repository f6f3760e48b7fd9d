// Connections: from a source's selected data types, in one transaction, a register schema per type
// (inferred from its fields), a starting mapping (every field as it is) and a synchronisation into that
// schema — grouped so they are run and scheduled together. A name that is taken gets a suffix ("(2)"):
// nothing that exists is overwritten.
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { connections, mappings, registers, schemas, synchronisations } from '../db/schema';
import {
  escapePath,
  FIELD_FORMATS,
  FIELD_TYPES,
  freeName,
  identityMapping,
  jsonSchemaOf,
  type DataType,
} from '../sync/core/discover';
import { UserError, notFound } from './errors';
import { createMapping } from './mappings';
import { createRegister, createSchema, loadRegister } from './registers';
import { checkSchedule, nextRunAt } from './schedule';
import { loadSource } from './sources';
import { createSynchronisation, type SynchronisationInput } from './synchronisations';

const fieldInput = z.object({
  name: z.string().min(1).max(300),
  type: z.enum(FIELD_TYPES),
  format: z.enum(FIELD_FORMATS).optional(),
  nullable: z.boolean(),
  key: z.boolean(),
  givenBySource: z.boolean().optional(),
  sourceType: z.string().max(200).optional(),
});

/** A discovered data type as `discover` answered it; only types with an id field can be selected. */
export const dataTypeInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['table', 'view', 'endpoint', 'file']),
  endpoint: z.string().max(20_000),
  fields: z.array(fieldInput).min(1, 'A data type needs at least one field.').max(2000),
  idField: z.string().max(300),
  resultsPosition: z.string().max(300).optional(),
  problem: z.string().nullish(),
});

export const connectionInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).optional(),
  sourceId: z.string().min(1),
  /** The register the schemas go into; left out, a new register named after the connection. */
  registerId: z.string().min(1).nullish(),
  types: z.array(dataTypeInput).min(1, 'Select at least one data type.').max(100),
});

export type ConnectionInput = z.infer<typeof connectionInput>;
type Row = typeof connections.$inferSelect;

export async function loadConnection(db: Db | Tx, orgId: string, connectionId: string): Promise<Row> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.orgId, orgId), eq(connections.id, connectionId)));
  if (!row) throw notFound('The connection');
  return row;
}

export async function createConnection(db: Db, orgId: string, input: ConnectionInput) {
  const typeNames = input.types.map((t) => t.name.toLowerCase());
  const twice = typeNames.find((name, i) => typeNames.indexOf(name) !== i);
  if (twice) throw new UserError('BAD_REQUEST', `The data type "${twice}" is selected twice.`, 'types');
  input.types.forEach((type, i) => {
    if (type.idField.trim()) return;
    const why = type.problem ?? 'No id field was found for it.';
    throw new UserError(
      'BAD_REQUEST',
      `${type.name} cannot be synchronised as it is: ${why.charAt(0).toLowerCase()}${why.slice(1)}`,
      `types.${i}.idField`,
    );
  });
  return db.transaction(async (tx) => {
    const source = await loadSource(tx, orgId, input.sourceId);
    if (source.type === 'register')
      throw new UserError('BAD_REQUEST', 'A connection reads an SQL, REST or file source.', 'sourceId');
    const register = input.registerId
      ? await loadRegister(tx, orgId, input.registerId)
      : await createRegister(tx, orgId, {
          name: freeName(
            input.name,
            names(
              await tx.select({ name: registers.name }).from(registers).where(eq(registers.orgId, orgId)),
            ),
          ),
          description: `Created with the connection "${input.name}".`,
        });
    const [connection] = await tx
      .insert(connections)
      .values({
        orgId,
        name: freeName(
          input.name,
          names(
            await tx.select({ name: connections.name }).from(connections).where(eq(connections.orgId, orgId)),
          ),
        ),
        description: input.description ?? '',
        sourceId: source.id,
        registerId: register.id,
      })
      .returning();
    const schemaNames = names(
      await tx
        .select({ name: schemas.name })
        .from(schemas)
        .where(and(eq(schemas.orgId, orgId), eq(schemas.registerId, register.id))),
    );
    const mappingNames = names(
      await tx.select({ name: mappings.name }).from(mappings).where(eq(mappings.orgId, orgId)),
    );
    const syncNames = names(
      await tx
        .select({ name: synchronisations.name })
        .from(synchronisations)
        .where(eq(synchronisations.orgId, orgId)),
    );
    for (const type of input.types) {
      const label = `${connection!.name} · ${type.name}`;
      const schema = await createSchema(tx, orgId, register.id, {
        name: freeName(type.name, schemaNames),
        jsonSchema: jsonSchemaOf(type as DataType, source.name),
      });
      schemaNames.push(schema.name);
      const mapping = await createMapping(tx, orgId, {
        name: freeName(label, mappingNames),
        description: `Every field of ${type.name} as it is; edit it to rename or leave out fields.`,
        config: identityMapping(type as DataType),
      });
      mappingNames.push(mapping.name);
      const sync = await createSynchronisation(tx, orgId, {
        name: freeName(label, syncNames),
        sourceId: source.id,
        ...readingOf(source.type, type),
        mappingId: mapping.id,
        targetType: 'register',
        targetRegisterId: register.id,
        targetSchemaId: schema.id,
      });
      syncNames.push(sync.name);
      // Joining the connection is not a configuration edit: `updatedAt` (the skip rule's clock) stays.
      await tx
        .update(synchronisations)
        .set({ connectionId: connection!.id, updatedAt: sync.updatedAt })
        .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, sync.id)));
    }
    return connection!;
  });
}

/** How the synchronisation of one type reads the source: its table or endpoint, id field and key. */
function readingOf(
  sourceType: string,
  type: z.infer<typeof dataTypeInput>,
): Pick<SynchronisationInput, 'sourceEndpoint' | 'sourceConfig'> {
  // A column or top-level key is escaped into a path; a detected path (`@attributes.id`) is one already.
  const isField = type.fields.some((f) => f.name === type.idField);
  const sourceIdField = isField ? escapePath(type.idField) : type.idField;
  if (sourceType === 'sql')
    return {
      sourceEndpoint: type.endpoint,
      sourceConfig: { sourceIdField, sql: { keyColumn: type.idField } },
    };
  if (sourceType === 'rest')
    return {
      sourceEndpoint: type.endpoint,
      sourceConfig: {
        sourceIdField,
        ...(type.resultsPosition ? { resultsPosition: type.resultsPosition } : {}),
      },
    };
  return { sourceEndpoint: '', sourceConfig: { sourceIdField } };
}

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

export async function listConnections(db: Db, orgId: string) {
  return db.select().from(connections).where(eq(connections.orgId, orgId)).orderBy(asc(connections.name));
}

/** The member synchronisations, in name order. */
export function membersOf(db: Db, orgId: string, connectionId: string) {
  return db
    .select()
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.connectionId, connectionId)))
    .orderBy(asc(synchronisations.name));
}

export interface ConnectionSchedule {
  scheduleCron: string | null;
  scheduleTimezone?: string;
}

/** One cron schedule for the whole connection (null: none); each due tick runs every enabled member. */
export async function setConnectionSchedule(
  db: Db,
  orgId: string,
  connectionId: string,
  input: ConnectionSchedule,
) {
  await loadConnection(db, orgId, connectionId);
  const cron = input.scheduleCron?.trim() || null;
  const timezone = input.scheduleTimezone?.trim() || 'UTC';
  if (cron) checkSchedule(cron, timezone);
  const [row] = await db
    .update(connections)
    .set({
      scheduleCron: cron,
      scheduleTimezone: timezone,
      nextRunAt: cron ? nextRunAt(cron, timezone) : null,
    })
    .where(and(eq(connections.orgId, orgId), eq(connections.id, connectionId)))
    .returning();
  return row!;
}

/** Ungroups: the synchronisations, schemas and mappings stay, each on its own. */
export async function deleteConnection(db: Db, orgId: string, connectionId: string) {
  await loadConnection(db, orgId, connectionId);
  // Said here as well as by the foreign key, which a database with foreign keys off would not apply.
  await db
    .update(synchronisations)
    .set({ connectionId: null })
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.connectionId, connectionId)));
  await db.delete(connections).where(and(eq(connections.orgId, orgId), eq(connections.id, connectionId)));
}
