// Sources: the systems Concord reads from and writes to, and the files uploaded as file sources.
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { users } from './users';

export const SOURCE_TYPES = ['rest', 'file', 'register', 'sql'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const sources = sqliteTable(
  'sources',
  {
    id: primaryId('source'),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    type: text('type', { enum: SOURCE_TYPES }).notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    // Everything that is not secret: base URL, headers, auth type, file dialect… (validated per type).
    config: text('config', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    // Credentials, AES-256-GCM encrypted as one JSON document; never returned by the API.
    secretsCipher: text('secrets_cipher'),
    ...timestamps,
  },
  (t) => [index('sources_org').on(t.orgId)],
);

export const files = sqliteTable(
  'files',
  {
    id: primaryId('file'),
    orgId: orgIdColumn(),
    sourceId: text('source_id').references(() => sources.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    // Uploading a new version of a source's file keeps the source and bumps this number.
    version: integer('version').notNull().default(1),
    uploadedBy: text('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    index('files_org').on(t.orgId),
    index('files_source').on(t.sourceId),
    index('files_uploaded_by').on(t.uploadedBy),
  ],
);

// File bodies live in the database in chunks so that every app instance (scaled mode) reads the same
// bytes and a large file can be streamed in and out without being held in memory.
export const fileChunks = sqliteTable(
  'file_chunks',
  {
    fileId: text('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.seq] })],
);
