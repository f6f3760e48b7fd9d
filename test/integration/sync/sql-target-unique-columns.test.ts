// A table with a unique column besides its key (an application's `email UNIQUE`), pushed to from the
// register. An object whose email another row holds is refused with the database's words, and that other
// row stays as it was. On MariaDB, `INSERT … ON DUPLICATE KEY UPDATE` updates the row of whichever unique
// key the new row collides with: a new object with a taken email overwrote the other object's row with
// its values, was counted created, and had no row of its own.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, ofSynchronisation, runEntries } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

const DUPLICATE =
  /duplicate key value violates unique constraint .*email|Duplicate entry 'a@x' for key 'email'/;

describe.each(SQL_PEERS)('a table with another unique column ($dialect)', ({ open }) => {
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

  async function setUp(writeMode: 'upsert' | 'insert-only') {
    const table = peer.table('sqltarget_people');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(100), email varchar(100) UNIQUE)`,
    );
    const t = await registerToSql(
      db.db,
      peer,
      { table, keyColumns: ['id'] },
      { deleteMode: 'none', writeMode },
    );
    const run = async (mode: { force?: boolean } = {}) => {
      const finished = await runDirect(db.db, t.orgId, t.sync.id, mode);
      const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, finished.id));
      return { ...finished, reason: (id: string) => entries.find((e) => e.originId === id)?.reason ?? '' };
    };
    const rows = async () =>
      (await peer.query(`SELECT id, name, email FROM ${q(peer, table)} ORDER BY id`)).map((r) => [
        r['id'],
        r['name'],
        r['email'],
      ]);
    return { ...t, table, run, rows };
  }

  it.each(['upsert', 'insert-only'] as const)(
    '%s: a new object with a taken email is refused, and the row holding it stays',
    async (writeMode) => {
      const t = await setUp(writeMode);
      await t.put([{ id: 'a', data: { name: 'Ann', email: 'a@x' } }]);
      expect(await t.run()).toMatchObject({ result: 'success', created: 1 });

      await t.put([
        { id: 'b', data: { name: 'Bob', email: 'a@x' } },
        { id: 'c', data: { name: 'Cas', email: 'c@x' } },
      ]);
      const run = await t.run();
      expect(run).toMatchObject({ result: 'warning', created: 1, failed: 1 });
      expect(run.reason('b')).toMatch(DUPLICATE);
      expect(await t.rows()).toEqual([
        ['a', 'Ann', 'a@x'],
        ['c', 'Cas', 'c@x'],
      ]);
      const [contract] = await db.db
        .select(contractReadColumns)
        .from(contracts)
        .where(and(ofSynchronisation(t.sync.id), eq(contracts.originId, 'b')));
      expect(contract?.status).toBe('rejected');

      // Given an email of its own, it lands.
      await t.put([{ id: 'b', data: { name: 'Bob', email: 'b@x' } }]);
      expect(await t.run()).toMatchObject({ result: 'success', created: 1, failed: 0 });
      expect(await t.rows()).toEqual([
        ['a', 'Ann', 'a@x'],
        ['b', 'Bob', 'b@x'],
        ['c', 'Cas', 'c@x'],
      ]);
      // A forced run writes every row again by its key, identical ones included, refusing none.
      expect(await t.run({ force: true })).toMatchObject({ result: 'success', failed: 0 });
      expect(await t.rows()).toHaveLength(3);
    },
  );

  it('an object whose row was deleted at the table, back with a taken email, overwrites no other row', async () => {
    const t = await setUp('upsert');
    await t.put([
      { id: 'a', data: { name: 'Ann', email: 'a@x' } },
      { id: 'b', data: { name: 'Bob', email: 'b@x' } },
    ]);
    expect(await t.run()).toMatchObject({ result: 'success', created: 2 });
    await peer.exec(`DELETE FROM ${q(peer, t.table)} WHERE id = 'b'`);
    await t.put([{ id: 'b', data: { name: 'Bob', email: 'a@x' } }]);
    const run = await t.run();
    expect(run).toMatchObject({ result: 'warning', failed: 1 });
    expect(run.reason('b')).toMatch(DUPLICATE);
    expect(await t.rows()).toEqual([['a', 'Ann', 'a@x']]);
  });
});
