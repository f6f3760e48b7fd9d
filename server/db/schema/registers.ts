// Concord's own register: registers group schemas (JSON Schema), schemas hold objects.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamp, timestamps } from './columns';
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
    orgId: orgIdColumn(),
    registerId: text('register_id')
      .notNull()
      .references(() => registers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    jsonSchema: text('json_schema', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [index('schemas_org').on(t.orgId), uniqueIndex('schemas_register_name').on(t.registerId, t.name)],
);

export const objects = sqliteTable(
  'objects',
  {
    id: primaryId('object'),
    orgId: orgIdColumn(),
    registerId: text('register_id')
      .notNull()
      .references(() => registers.id, { onDelete: 'cascade' }),
    schemaId: text('schema_id')
      .notNull()
      .references(() => schemas.id, { onDelete: 'cascade' }),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    hash: text('hash').notNull(),
    version: integer('version').notNull().default(1),
    // Soft-deleted objects stay readable (and restorable) until retention removes them.
    deletedAt: timestamp('deleted_at'),
    // Who made the object and its last change: a person (through the UI or the API), or a
    // synchronisation writing into the register (updated_by_sync; no foreign key, so the statements
    // that write a page of objects check no extra index per row, and the id outlives a deleted sync).
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedBySync: text('updated_by_sync'),
    ...timestamps,
  },
  (t) => [
    // No (org, schema, id) index: the target's batch lookups go by primary key (then check org and
    // schema on the row), and every index is one more write per synchronised object.
    index('objects_register').on(t.registerId),
    index('objects_schema').on(t.schemaId, t.deletedAt),
  ],
);

/**
 * The change feed of register objects (GET /api/v1/schemas/{id}/changes): one row per object, moved to
 * the end (a new `seq`) by every change, whoever makes it — database triggers on `objects` write it
 * (drizzle/*_api_key_scopes.sql), so the engine's writes, people's edits and the API's all count, and a
 * hard delete leaves a tombstone. SQLite has one writer at a time, so seqs commit in order: a reader
 * that has seen seq n never finds a later-committed seq below n.
 */
export const objectChanges = sqliteTable(
  'object_changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    // No foreign keys: a tombstone outlives its object.
    orgId: text('org_id').notNull(),
    schemaId: text('schema_id').notNull(),
    objectId: text('object_id').notNull(),
    op: text('op', { enum: ['upsert', 'delete'] }).notNull(),
    changedAt: integer('changed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('object_changes_object').on(t.objectId),
    index('object_changes_feed').on(t.schemaId, t.seq),
  ],
);
