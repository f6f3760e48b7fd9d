// Mappings: reusable, organisation-scoped transformations from a source object to a target object.
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamps } from './columns';
import { orgIdColumn } from './organisations';

export const mappings = sqliteTable(
  'mappings',
  {
    id: primaryId('mapping'),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    // { mapping, unset, cast, passThrough, root } — validated by the engine's mapping language on save.
    config: text('config', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [index('mappings_org').on(t.orgId)],
);
