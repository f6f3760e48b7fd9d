// Column helpers shared by every table: prefixed ids and the created/updated timestamps.
import { integer, text } from 'drizzle-orm/sqlite-core';
import { newId, type IdKind } from '../ids';

export const primaryId = (kind: IdKind) =>
  text('id')
    .primaryKey()
    .$defaultFn(() => newId(kind));

export const timestamps = {
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date()),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date()),
};

export const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
