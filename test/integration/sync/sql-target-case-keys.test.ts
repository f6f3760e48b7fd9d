// Keys that differ only in case, pushed to an SQL table whose key column tells them apart (PostgreSQL's
// text, MariaDB's binary collation): each object its own row. Concord compared MySQL keys folded to lower
// case whatever the column's collation, so on a case-sensitive key 'abc' was refused as "another object
// of this synchronisation writes the same row" and never written. A key column whose collation ignores
// case (MariaDB's default) still holds one row for both, and the second object is refused saying so.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntries } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

describe.each(SQL_PEERS)('keys that differ only in case ($dialect)', ({ dialect, open }) => {
  let db: TestDatabase;
  let peer: SqlPeer;

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
    await db?.close();
  });

  async function push(keyType: string) {
    const table = peer.table('sqltarget_codes');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (id ${keyType} PRIMARY KEY, name varchar(100))`);
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'hard' });
    await t.put([
      { id: 'abc', data: { name: 'lower' } },
      { id: 'ABC', data: { name: 'upper' } },
    ]);
    const run = await runDirect(db.db, t.orgId, t.sync.id);
    const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
    const rows = async () =>
      (await peer.query(`SELECT id, name FROM ${q(peer, table)} ORDER BY name`)).map((r) => [
        r['id'],
        r['name'],
      ]);
    return { ...t, run, entries, rows };
  }

  it('a case-sensitive key column holds a row for each', async () => {
    const t = await push(dialect === 'postgres' ? 'varchar(64)' : 'varchar(64) COLLATE utf8mb4_bin');
    expect(t.run).toMatchObject({ result: 'success', created: 2, failed: 0 });
    expect(await t.rows()).toEqual([
      ['abc', 'lower'],
      ['ABC', 'upper'],
    ]);
    // Each is deleted by its own key.
    await t.remove('abc');
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', deleted: 1 });
    expect(await t.rows()).toEqual([['ABC', 'upper']]);
  });

  // Defined for the one dialect it is about (not skipped for the other: CI skips no test).
  if (dialect === 'mysql')
    it('a key column whose collation ignores case holds one row, and says so', async () => {
      const t = await push('varchar(64)');
      expect(t.run).toMatchObject({ result: 'warning', created: 1, failed: 1 });
      expect(t.entries.map((e) => e.reason).join(' ')).toMatch(/writes the same row/);
      expect(await t.rows()).toHaveLength(1);
    });
});
