// Writes register changes into the push outbox (server/db/schema/outbox.ts) together with the change:
// as statements the caller runs in ONE batch with its own (or inside its transaction), so the change
// and its outbox row commit together or not at all. One row per object: a newer change replaces what
// the row says and counts one more change, keeping its first time.
// Batches, not transactions, where the caller can: a libSQL file's statements run synchronously, so a
// transaction held open across awaits makes every other write of the process wait for its lock with
// the event loop blocked — until the busy timeout fails one of them. A batch never yields its lock.
import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { newId, newIds } from '../../db/ids';
import { objectsOfOrg, type OutboxOp } from '../../db/schema';
import type { ChangeSource } from '../core/fan-out';

export interface ObjectChange {
  readonly objectId: string;
  readonly op: OutboxOp;
  /** For a deletion: the object's data, read before it was deleted. */
  readonly data?: Readonly<Record<string, unknown>> | null;
}

const ROWS_PER_STATEMENT = 2_000;

// A newer change replaces the row's op, data, origin and change id, and counts one more; the first time
// stays. Every write is a new change (its id carried by each subscriber's delivery of it).
const COALESCE = sql`ON CONFLICT (schema_id, object_id) DO UPDATE SET op = excluded.op, data = excluded.data,
  origin_system_id = excluded.origin_system_id, origin_sync_id = excluded.origin_sync_id,
  change_id = excluded.change_id, changes = outbox.changes + 1, updated_at = excluded.updated_at`;

/**
 * The statements that queue these changes (one per 2,000), unexecuted: run them in the batch or the
 * transaction of the change. Rows travel as one JSON parameter, like the register's own writes.
 */
export function changeStatements(
  db: Db | Tx,
  scope: { readonly orgId: string; readonly schemaId: string },
  changes: readonly ObjectChange[],
  origin: ChangeSource,
  now: number = Date.now(),
) {
  const statements = [];
  for (let i = 0; i < changes.length; i += ROWS_PER_STATEMENT) {
    const slice = changes.slice(i, i + ROWS_PER_STATEMENT);
    const changeIds = newIds('change', slice.length, now);
    const rows = slice.map((c, n) => [
      newId('outbox'),
      c.objectId,
      c.op,
      c.op === 'delete' && c.data ? JSON.stringify(c.data) : null,
      changeIds[n],
    ]);
    statements.push(
      db.run(sql`INSERT INTO outbox (id, org_id, schema_id, object_id, op, data, origin_system_id, origin_sync_id, change_id, changes, created_at, updated_at)
        SELECT value ->> 0, ${scope.orgId}, ${scope.schemaId}, value ->> 1, value ->> 2, value ->> 3,
          ${origin.systemId}, ${origin.syncId}, value ->> 4, 1, ${now}, ${now}
        FROM json_each(${JSON.stringify(rows)}) WHERE true
        ${COALESCE}`),
    );
  }
  return statements;
}

/** Queues the changes inside a transaction the caller holds. */
export async function recordChanges(
  tx: Db | Tx,
  scope: { readonly orgId: string; readonly schemaId: string },
  changes: readonly ObjectChange[],
  origin: ChangeSource,
): Promise<void> {
  for (const statement of changeStatements(tx, scope, changes, origin)) await statement;
}

/**
 * The statement that queues the change of one object a person made, read from the object's row — only
 * if `made` holds for that row (the statement before it in the batch changed it). A deletion takes the
 * object's data along.
 */
export function personChangeStatement(
  db: Db,
  object: { readonly orgId: string; readonly objectId: string },
  op: OutboxOp,
  made: SQL,
  now: number = Date.now(),
) {
  return db.run(sql`INSERT INTO outbox (id, org_id, schema_id, object_id, op, data, origin_system_id, origin_sync_id, change_id, changes, created_at, updated_at)
    SELECT ${newId('outbox')}, ${object.orgId}, (SELECT id FROM schemas WHERE seq = objects.schema_seq), id, ${op},
      ${op === 'delete' ? sql`data` : sql`NULL`}, NULL, NULL, ${newId('change', now)}, 1, ${now}, ${now}
    FROM objects WHERE id = ${object.objectId} AND ${objectsOfOrg(object.orgId)} AND ${made}
    ${COALESCE}`);
}
