// Concord's own register: registers group schemas (JSON Schema), schemas hold objects.
import { eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  hashColumn,
  primaryId,
  timeAfterCreation,
  timestamp,
  timestamps,
  updatedAfterCreation,
} from './columns';
import { orgIdColumn } from './organisations';
import { users } from './users';

export const registers = sqliteTable(
  'registers',
  {
    id: primaryId('register'),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    ...timestamps,
  },
  (t) => [index('registers_org').on(t.orgId)],
);

export const schemas = sqliteTable(
  'schemas',
  {
    id: primaryId('schema'),
    // A small number of this schema's own, given by a trigger as the row is inserted and never changed
    // (migration 0038): its objects and their two indexes hold it instead of the 30-character id, about
    // 100 bytes less per object (issue 14). Never set it; write it as `schemaSeqOf(id)`.
    seq: integer('seq'),
    orgId: orgIdColumn(),
    registerId: text('register_id')
      .notNull()
      .references(() => registers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    jsonSchema: text('json_schema', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [
    index('schemas_org').on(t.orgId),
    uniqueIndex('schemas_register_name').on(t.registerId, t.name),
    uniqueIndex('schemas_seq').on(t.seq),
  ],
);

export const objects = sqliteTable(
  'objects',
  {
    id: primaryId('object'),
    // No org_id: the schema holds it, and every query finds objects through the caller's organisation's
    // schemas (`objectsOfOrg`; `ofSchema` of a schema the organisation owns). Its copy cost every object
    // 30 bytes (issue 14, migration 0044); deleting the organisation deletes its registers, their
    // schemas and so their objects.
    // The schema, by its number (schemas.seq): 1–2 bytes where its id took 30, here and in both indexes
    // (migration 0038). Write it as `schemaSeqOf(id)`; read the id through `schemas` (objectColumns).
    // No register_id: the schema names its register (migration 0036), and deleting a register deletes
    // its schemas and so their objects.
    schemaSeq: integer('schema_seq')
      .notNull()
      .references(() => schemas.seq, { onDelete: 'cascade' }),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    hash: hashColumn('hash').notNull(),
    version: integer('version').notNull().default(1),
    // Soft-deleted objects stay readable (and restorable) until retention removes them.
    deletedAt: timestamp('deleted_at'),
    // Who made the object and its last change: a person (through the UI or the API), or a
    // synchronisation writing into the register (updated_by_sync_seq: the synchronisation's number, 2
    // bytes where its id took 30, migration 0033; no foreign key, so the statements that write a page
    // of objects check no extra index per row, and the number outlives a deleted synchronisation — no
    // number is handed out twice, see syncNumberCounter. 0: one deleted before numbers were kept).
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedBySyncSeq: integer('updated_by_sync_seq'),
    // The object's place in its schema's change feed (GET /api/v1/schemas/{id}/changes) and when it got
    // there: set by database triggers on every change, whoever makes it (see objectTombstones).
    changeSeq: integer('change_seq'),
    // When it got there and when it was last written, each stored as milliseconds after its creation
    // (`…_offset`: 0 or a byte or two for a new object's, where a time took 6) and read through a
    // virtual column of its own name, as a contract's times (migration 0049: 20 objects to a 4 KiB page
    // where 19 fitted). Read the named columns; raw SQL writes the offsets (drizzle's updates set
    // updated_at's itself).
    changedAtOffset: integer('changed_at_offset'),
    changedAt: timeAfterCreation('changed_at'),
    createdAt: timestamps.createdAt,
    ...updatedAfterCreation(),
  },
  (t) => [
    // No (org, schema, id) index: the target's batch lookups go by primary key (then check org and
    // schema on the row), and every index is one more write per synchronised object. No query asks for
    // a register's objects (they are a schema's); deleting a register reaches them through its schemas'
    // cascade (the index on register_id went in migration 0024, the column in 0036).
    // A schema's live objects in id order: a register source lists them a page at a time after the last
    // id (register.ts). Without the id here SQLite sorted every object past that id for every page — a
    // push of 100,000 objects spent 3 of its 19 s sorting, growing with the square of the schema's size.
    index('objects_schema').on(t.schemaSeq, t.deletedAt, t.id),
    // The change feed: a schema's objects in the order of their latest change.
    index('objects_feed').on(t.schemaSeq, t.changeSeq),
  ],
);

/** A schema's number (see `objects.schemaSeq`), as SQL: evaluated once per statement. */
export const schemaSeqOf = (schemaId: string): SQL<number> =>
  sql`(SELECT ${schemas.seq} FROM ${schemas} WHERE ${schemas.id} = ${schemaId})`;

/** schemaSeqOfOrg in raw SQL, the organisation and schema ids being the parameters `org` and `schema`. */
export const schemaSeqOfOrgSql = (org: string, schema: string): string =>
  `(SELECT seq FROM schemas WHERE id = ${schema} AND org_id = ${org})`;

/** The same in raw SQL, the schema id being the statement's parameter `param` (e.g. '?'). */
export const schemaSeqSql = (param: string): string => `(SELECT seq FROM schemas WHERE id = ${param})`;

/**
 * The objects of an organisation: those of its schemas (an object holds no organisation of its own).
 * The gate every query of objects goes through, beside or instead of one schema.
 */
export const objectsOfOrg = (orgId: string): SQL =>
  sql`${objects.schemaSeq} IN (SELECT ${schemas.seq} FROM ${schemas} WHERE ${schemas.orgId} = ${orgId})`;

/**
 * A schema's number, found only among the organisation's schemas: what an object is written with, so
 * that no object is ever filed under another organisation's schema (NULL, which the column refuses).
 */
export const schemaSeqOfOrg = (orgId: string, schemaId: string): SQL<number> =>
  sql`(SELECT ${schemas.seq} FROM ${schemas} WHERE ${schemas.id} = ${schemaId} AND ${schemas.orgId} = ${orgId})`;

/**
 * The objects of one schema, by the number their indexes lead with. Not inside an OR (SQLite then
 * evaluates the subquery per row and uses no index; see `ofSynchronisation`).
 */
export const ofSchema = (schemaId: string): SQL => eq(objects.schemaSeq, schemaSeqOf(schemaId));

/**
 * An object's columns with its schema's id and register, which the row holds by number only: select
 * them `.from(objects).innerJoin(schemas, objectsSchema)`.
 */
const {
  changedAtOffset: _changedAtOffset,
  updatedAtOffset: _updatedAtOffset,
  ...OBJECT_COLUMNS
} = getTableColumns(objects);
export const objectColumns = {
  ...OBJECT_COLUMNS,
  schemaId: schemas.id,
  registerId: schemas.registerId,
};
export const objectsSchema = eq(schemas.seq, objects.schemaSeq);

/** An object row as the services hand it on: with its schema's id and register. */
export type ObjectRow = typeof objects.$inferSelect & { schemaId: string; registerId: string };

/**
 * The change feed of register objects (GET /api/v1/schemas/{id}/changes): every object at the position
 * of its latest change (`objects.change_seq`), and here a tombstone for each object deleted for good.
 * Database triggers on `objects` keep both (drizzle/0022_change_feed_on_objects.sql), so the engine's
 * writes, people's edits and the API's all count. Positions come from one counter (changeCounter):
 * SQLite has one writer at a time, so they commit in order — a reader that has seen position n never
 * finds a later-committed one below n. (Until migration 0022 the feed was a table with a row per
 * object, 211 bytes an object with its indexes; now it is a column and an index entry, issue 14.)
 */
export const objectTombstones = sqliteTable(
  'object_tombstones',
  {
    seq: integer('seq').primaryKey(),
    // No foreign keys: a tombstone outlives its object.
    orgId: text('org_id').notNull(),
    schemaId: text('schema_id').notNull(),
    objectId: text('object_id').notNull(),
    changedAt: timestamp('changed_at').notNull(),
  },
  (t) => [
    // An object created again with its old id (ids are stable per origin) is no longer a tombstone.
    uniqueIndex('object_tombstones_object').on(t.objectId),
    index('object_tombstones_feed').on(t.schemaId, t.seq),
  ],
);

/** The last position handed out in the change feed: one row, counted up by the triggers. */
export const changeCounter = sqliteTable('change_counter', {
  id: integer('id').primaryKey(),
  n: integer('n').notNull(),
});

/**
 * The highest synchronisation number ever handed out (synchronisations.seq; one row, counted up by the
 * trigger that numbers a new synchronisation): register objects keep their writer's number after the
 * synchronisation is deleted, so a number is never given again (migration 0033).
 */
export const syncNumberCounter = sqliteTable('sync_number_counter', {
  id: integer('id').primaryKey(),
  n: integer('n').notNull(),
});
