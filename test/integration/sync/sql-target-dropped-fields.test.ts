// A register object pushed into an SQL table without chosen columns writes a column per field. When an
// object later drops a field (a note removed in the register, a key gone from a JSON file's record), its
// row used to keep the old value — the run said "updated" while the row still said what the object no
// longer does. The column is emptied now, as a chosen column whose path finds nothing is; the key and the
// columns the object never had are left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, ofSynchronisation } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

describe.each(SQL_PEERS)('an object that drops a field, pushed into an SQL table ($dialect)', ({ open }) => {
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

  it('empties the column of the dropped field and keeps the others', async () => {
    const table = peer.table('sqltarget_dropped');
    // `stock` belongs to the application: no object has it, and it keeps its value.
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(100) NOT NULL, ` +
        `age bigint, tags varchar(200), stock integer)`,
    );
    const s = await registerToSql(db.db, peer, { table, keyColumns: ['id'] });
    const run = () => runDirect(db.db, s.orgId, s.sync.id);
    const rows = () => peer.query(`SELECT id, name, age, tags, stock FROM ${q(peer, table)} ORDER BY id`);

    await s.put([
      { id: 'a', data: { name: 'Ada', age: 36, tags: 'x' } },
      { id: 'b', data: { name: 'Bob', age: 40 } },
    ]);
    expect(await run()).toMatchObject({ result: 'success', created: 2 });
    // The contract keeps the names of the fields written, not a copy of the object.
    const kept = await db.db
      .select({ originId: contracts.originId, sentData: contracts.sentData })
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));
    expect(kept.find((c) => c.originId === 'a')?.sentData).toEqual({ id: 0, name: 0, age: 0, tags: 0 });
    await peer.exec(`UPDATE ${q(peer, table)} SET stock = 7`);

    // Ada loses her age and tags, Bob his age; Bob's name changes too.
    await s.put([
      { id: 'a', data: { name: 'Ada' } },
      { id: 'b', data: { name: 'Bobby' } },
    ]);
    expect(await run()).toMatchObject({ result: 'success', updated: 2 });
    expect(await rows()).toEqual([
      { id: 'a', name: 'Ada', age: null, tags: null, stock: 7 },
      { id: 'b', name: 'Bobby', age: null, tags: null, stock: 7 },
    ]);

    // In step: an unchanged re-run writes nothing more.
    expect(await run()).toMatchObject({ result: 'success', created: 0, updated: 0 });
  });
});
