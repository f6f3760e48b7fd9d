// A register schema pushed into an SQL table, set up through the API as a user would: a register source,
// the SQL source written to, and the synchronisation with its SQL target settings. Register objects are
// put straight into the register (as an inbound sync or the UI would leave them), and a trigger on the
// target table logs every row the database really wrote, so a test can count writes from the database.
import { eq } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { objects, schemaSeqOf } from '@/server/db/schema';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import type { SqlTargetConfigInput } from '@/server/sync/config/sync-config';
import { hashValue } from '@/server/sync/core/canonical-json';
import { newOrg } from './sync-more';
import { q, type SqlPeer } from './sql-peers';

export const ITEM_SCHEMA = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 100 },
    age: { type: 'integer' },
    score: { type: 'number' },
    active: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    address: { type: 'object' },
    seen: { type: 'string', format: 'date-time' },
  },
};

export async function registerToSql(
  db: Db,
  peer: SqlPeer,
  target: SqlTargetConfigInput,
  sync: Partial<SynchronisationInput> = {},
  /** Overrides of the SQL source's connection settings (a short statement timeout). */
  connection: Record<string, unknown> = {},
) {
  const { api, orgId, owner } = await newOrg(db);
  const register = await api.registers.create({ orgId, name: 'Catalogue' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Item',
    jsonSchema: ITEM_SCHEMA,
  });
  const from = await api.sources.create({
    orgId,
    name: 'Items in the register',
    type: 'register',
    config: { registerId: register.id, schemaId: schema.id },
  });
  const to = await api.sources.create({
    orgId,
    name: `${peer.label} shop`,
    type: 'sql',
    config: { ...peer.config, ...connection },
  });
  const created = await api.synchronisations.create({
    orgId,
    name: `Items into ${peer.label}`,
    sourceId: from.id,
    targetType: 'source',
    targetSourceId: to.id,
    targetConfig: target,
    deleteMode: 'hard',
    ...sync,
  });
  const put = (items: { id: string; data: Record<string, unknown> }[]) => putObjects(db, schema, items);
  const remove = (id: string) =>
    db
      .update(objects)
      .set({ deletedAt: new Date() })
      .where(eq(objects.id, objectId(schema, id)));
  return { api, orgId, owner, register, schema, from, to, sync: created, put, remove };
}

/** Object ids are unique across organisations: each schema's objects get their own. */
const objectId = (schema: { id: string }, id: string) => `${schema.id}_${id}`;

/**
 * Creates or replaces register objects (data and hash), as an edit in the register would. The data
 * carries `id` (as objects from another system do), which the synchronisation reads as the origin id.
 */
export async function putObjects(
  db: Db,
  schema: { id: string; orgId: string; registerId: string },
  items: { id: string; data: Record<string, unknown> }[],
) {
  for (const { id, data } of items) {
    const item = { id: objectId(schema, id), data: { id, ...data } };
    await db
      .insert(objects)
      .values({
        id: item.id,
        schemaSeq: schemaSeqOf(schema.id),
        data: item.data,
        hash: hashValue(item.data),
      })
      .onConflictDoUpdate({
        target: objects.id,
        set: { data: item.data, hash: hashValue(item.data) },
      });
  }
}

/** A log table and triggers that record every row the database inserts, updates or deletes in `table`. */
export async function logWrites(peer: SqlPeer, table: string) {
  const log = peer.table('sqltarget_log');
  await peer.exec(`CREATE TABLE ${q(peer, log)} (op varchar(10) NOT NULL)`);
  if (peer.dialect === 'postgres') {
    const fn = `${log}_fn`;
    await peer.exec(
      `CREATE FUNCTION "${fn}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO "${log}" (op) VALUES (TG_OP); RETURN NULL; END $$`,
    );
    await peer.exec(
      `CREATE TRIGGER "${log}_t" AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${fn}"()`,
    );
  } else {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      await peer.exec(
        `CREATE TRIGGER \`${log}_${op.toLowerCase()}\` AFTER ${op} ON \`${table}\` FOR EACH ROW INSERT INTO \`${log}\` (op) VALUES ('${op}')`,
      );
    }
  }
  return {
    /** Rows written so far, by operation. */
    async counts(): Promise<Record<'INSERT' | 'UPDATE' | 'DELETE', number>> {
      const rows = await peer.query(`SELECT op, count(*) AS n FROM ${q(peer, log)} GROUP BY op`);
      const out = { INSERT: 0, UPDATE: 0, DELETE: 0 };
      for (const row of rows) out[row['op'] as keyof typeof out] = Number(row['n']);
      return out;
    },
    /** Drops the PostgreSQL trigger function (the tables go with the peer's dropAll). */
    async drop() {
      if (peer.dialect === 'postgres') await peer.exec(`DROP FUNCTION IF EXISTS "${log}_fn"() CASCADE`);
    },
  };
}
