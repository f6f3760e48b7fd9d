// Register objects edited by people, through the UI or the API: checked against the schema's JSON
// Schema (each problem a sentence at its field), each change recording who made it and when, and
// queued in the push outbox in the same transaction, so the synchronisations that push the schema
// out deliver it (server/runner/outbox-drain.ts). Deleting is soft: the object stays readable.
// A person's change has no origin system: every subscriber gets it.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { newId } from '../db/ids';
import { objects, objectsOfOrg, schemaSeqOfOrg } from '../db/schema';
import { notifyOutbox } from '../runner/dispatch';
import { hashValue } from '../sync/core/canonical-json';
import { nestedDeeperThan, nestingReason } from '../sync/core/nesting';
import { personChangeStatement } from '../sync/stores/outbox';
import { UserError } from './errors';
import { InvalidInput } from './field-issues';
import { objectErrors } from './json-schema';
import { objectIssues } from './object-issues';
import { getObject, loadSchema } from './registers';

/** Characters of an object's JSON: a register object is a record, not a file. */
export const MAX_OBJECT_CHARS = 1_000_000;

function checkData(jsonSchema: Record<string, unknown>, data: Record<string, unknown>) {
  if (nestedDeeperThan(data))
    throw new InvalidInput([{ field: 'data', message: `${nestingReason('The object')}.` }]);
  if (JSON.stringify(data).length > MAX_OBJECT_CHARS) {
    const limit = MAX_OBJECT_CHARS.toLocaleString('en');
    throw new InvalidInput([
      { field: 'data', message: `The object is larger than ${limit} characters of JSON.` },
    ]);
  }
  const errors = objectErrors(jsonSchema, data);
  if (errors.length > 0) throw new InvalidInput(objectIssues(errors));
}

export async function createObject(
  db: Db,
  orgId: string,
  userId: string,
  input: { schemaId: string; data: Record<string, unknown> },
) {
  const schema = await loadSchema(db, orgId, input.schemaId);
  checkData(schema.jsonSchema, input.data);
  const id = newId('object');
  // One batch: the object and its outbox row commit together (stores/outbox.ts says why no transaction).
  const [[row]] = await db.batch([
    db
      .insert(objects)
      .values({
        id,
        schemaSeq: schemaSeqOfOrg(orgId, schema.id),
        data: input.data,
        hash: hashValue(input.data),
        createdBy: userId,
        updatedBy: userId,
      })
      .returning(),
    personChangeStatement(db, { orgId, objectId: id }, 'upsert', sql`true`),
  ]);
  await notifyOutbox(db, { orgId, schemaId: schema.id });
  return { ...row!, schemaId: schema.id, registerId: schema.registerId };
}

const changedMeanwhile = (version?: number) =>
  new UserError(
    'CONFLICT',
    `Someone changed this object since you opened it${version ? ` (it is now version ${version})` : ''}: ` +
      'reload it and make your change again.',
  );

/** A new version of the whole object; `version` is the one the editor started from. */
export async function updateObject(
  db: Db,
  orgId: string,
  userId: string,
  input: { objectId: string; version: number; data: Record<string, unknown> },
) {
  const current = await getObject(db, orgId, input.objectId);
  if (current.deletedAt)
    throw new UserError('CONFLICT', 'This object is deleted: it can no longer be edited.');
  if (current.version !== input.version) throw changedMeanwhile(current.version);
  const schema = await loadSchema(db, orgId, current.schemaId);
  checkData(schema.jsonSchema, input.data);
  const hash = hashValue(input.data);
  // The same content again is no change: no new version, nothing to push.
  if (hash === current.hash) return current;
  const version = current.version + 1;
  const [[row]] = await db.batch([
    db
      .update(objects)
      .set({ data: input.data, hash, version, updatedBy: userId, updatedBySyncSeq: null })
      .where(
        and(
          objectsOfOrg(orgId),
          eq(objects.id, current.id),
          eq(objects.version, input.version),
          isNull(objects.deletedAt),
        ),
      )
      .returning(),
    // Queued only when the update above found the version the editor started from.
    personChangeStatement(
      db,
      { orgId, objectId: current.id },
      'upsert',
      sql`version = ${version} AND ${eq(objects.hash, hash)} AND updated_by = ${userId}`,
    ),
  ]);
  // Another edit (a person's or a synchronisation's) got in between the read and this write.
  if (!row) throw changedMeanwhile();
  await notifyOutbox(db, { orgId, schemaId: current.schemaId });
  return { ...row, schemaId: current.schemaId, registerId: current.registerId };
}

/** Soft delete: the object stays readable (Include deleted), and its deletion is pushed. */
export async function deleteObject(db: Db, orgId: string, userId: string, input: { objectId: string }) {
  const current = await getObject(db, orgId, input.objectId);
  if (current.deletedAt) return current;
  const deletedAt = new Date();
  const [[row]] = await db.batch([
    db
      .update(objects)
      .set({ deletedAt, updatedBy: userId, updatedBySyncSeq: null })
      .where(and(objectsOfOrg(orgId), eq(objects.id, current.id), isNull(objects.deletedAt)))
      .returning(),
    personChangeStatement(
      db,
      { orgId, objectId: current.id },
      'delete',
      sql`deleted_at = ${deletedAt.getTime()} AND updated_by = ${userId}`,
    ),
  ]);
  if (!row) return getObject(db, orgId, input.objectId);
  await notifyOutbox(db, { orgId, schemaId: current.schemaId });
  return { ...row, schemaId: current.schemaId, registerId: current.registerId };
}
