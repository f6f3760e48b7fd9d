// SQLite finds the rows a parent's deletion cascades to (or sets null in) by an index led by the child's
// key columns, and without one walks the whole child table — every organisation's rows — for each
// parent row deleted. Migration 0029 moved the contracts' indexes from the synchronisation's id to its
// number and so left deleting a synchronisation walking every contract; this keeps such a walk from
// coming back unnoticed. The walks listed here were chosen: each costs one walk per deletion of a
// rarely deleted parent, where an index would cost every row of a large table its bytes and a write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const CHOSEN_WALKS: Record<string, string> = {
  'objects(created_by) -> users': 'a user is deleted rarely; objects are many',
  'objects(updated_by) -> users': 'a user is deleted rarely; objects are many',
  'conflicts(resolved_by_user_id) -> users': 'a user is deleted rarely',
  'run_changes(schema_id) -> schemas': "a schema's deletion is rare; its changes go by run and change",
  'create_intents(org_id) -> organisations': 'a small table: rows are purged as their run finishes',
  'page_memos(org_id) -> organisations': 'a small table: a row per page of a listing',
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

// PRAGMA and EXPLAIN answers hold names, numbers and text only.
const rows = async (sql: string) =>
  (await db.db.$client.execute(sql)).rows as unknown as Record<string, string | number>[];

/** Each foreign key no index serves, as `table(columns) -> parent`. */
async function walkedForeignKeys(): Promise<string[]> {
  const tables = await rows(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`,
  );
  const walked: string[] = [];
  for (const { name } of tables) {
    const keys = new Map<number, { parent: string; columns: string[] }>();
    for (const fk of await rows(`PRAGMA foreign_key_list('${String(name)}')`)) {
      const key = keys.get(Number(fk.id)) ?? { parent: String(fk.table), columns: [] };
      key.columns[Number(fk.seq)] = String(fk.from);
      keys.set(Number(fk.id), key);
    }
    // Indexes a lookup by the key can use: whole ones (a partial index serves only its own condition),
    // and an INTEGER PRIMARY KEY, which is the table's own order.
    const leads: string[][] = [];
    for (const index of await rows(`PRAGMA index_list('${String(name)}')`)) {
      if (Number(index.partial) === 1) continue;
      const info = await rows(`PRAGMA index_info('${String(index.name)}')`);
      leads.push(info.map((column) => String(column.name)));
    }
    for (const column of await rows(`PRAGMA table_info('${String(name)}')`))
      if (Number(column.pk) === 1 && String(column.type).toLowerCase() === 'integer')
        leads.push([String(column.name)]);
    for (const { parent, columns } of keys.values()) {
      const served = leads.some((lead) => columns.every((column, i) => lead[i] === column));
      if (!served) walked.push(`${String(name)}(${columns.join(', ')}) -> ${parent}`);
    }
  }
  return walked.sort();
}

describe('foreign keys and their indexes', () => {
  it('has an index for every foreign key but the walks chosen on purpose', async () => {
    expect(await walkedForeignKeys()).toEqual(Object.keys(CHOSEN_WALKS).sort());
  });

  it("finds a synchronisation's contracts in the list's order by an index, not a sort", async () => {
    const plan = await rows(
      `EXPLAIN QUERY PLAN SELECT rowid FROM contracts WHERE sync_seq = 7 ORDER BY rowid`,
    );
    expect(plan.map((row) => String(row.detail))).toEqual([
      expect.stringMatching(/USING (COVERING )?INDEX contracts_sync \(sync_seq=\?\)/),
    ]);
  });
});
