// MySQL/MariaDB tables with a unique key besides the target's key columns (an application's
// `email UNIQUE`). `INSERT … ON DUPLICATE KEY UPDATE` updates the row of whichever unique key the new row
// collides with: a new object whose email another row holds overwrote that row with its values, was
// counted created, and got no row of its own (nor did an insert-only create: its no-op "update" of the
// other row reported it written). On such a table the rows are written by their key alone: those whose
// key the table holds are updated by it (an UPDATE … WHERE key, which another row's email fails with the
// database's words), the others inserted plainly (which fails the same way). PostgreSQL's ON CONFLICT
// names the key's columns, so its upsert never meets this.
import type { SqlRow } from './sql-rows';
import { moveRows, type RowWriteShape } from './sql-row-writes';
import type { Session } from './sql-session';
import type { TableInfo } from './sql-table';

/** Whether the table has a unique key other than `keys` (MySQL's upsert could then update another row). */
export function hasOtherUniqueKeys(info: TableInfo, keys: readonly string[]): boolean {
  const wanted = [...keys].sort().join('\u0000');
  return info.uniqueKeys.some((columns) => [...columns].sort().join('\u0000') !== wanted);
}

/**
 * Updates by their key the rows whose key the table holds (none under insert only, which leaves them),
 * and answers the rows left to insert plainly: those whose key is free, and those whose row went away
 * meanwhile. `held` tells which keys the table holds; refusals go to `refuse`.
 */
export async function writeByKeyAlone(
  s: Session,
  rows: readonly SqlRow[],
  shape: RowWriteShape,
  o: {
    readonly held: (rows: readonly SqlRow[]) => Promise<ReadonlySet<SqlRow>>;
    readonly insertOnly: boolean;
    readonly refuse: (row: SqlRow, reason: string) => void;
  },
): Promise<SqlRow[]> {
  if (rows.length === 0) return [];
  const held = await o.held(rows);
  const free = rows.filter((row) => !held.has(row));
  if (o.insertOnly) return free;
  const present = rows.filter((row) => held.has(row));
  const updated = await moveRows(
    s,
    present.map((row) => ({ row, oldKey: row.key })),
    shape,
    o.refuse,
  );
  return [...free, ...present.filter((row) => !updated.has(row.originId))];
}
