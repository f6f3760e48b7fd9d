// A two-way synchronisation whose SQL source reads a query (people with their department, a LEFT JOIN)
// and writes the register's changes back to the people table. The department is the query's, not the
// table's: the mapping leaves it out of the register, so the write-back never sends it. A person
// without a department (NULL from the join) is written back like any other — the register's edit is
// not refused for a column the table does not have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createPeople, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { runDirect } from '../helpers/sync-setup';
import { sqlToRegister } from '../helpers/sql-sync';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe.each(SQL_PEERS)('two-way from a query, written back to its table ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  beforeAll(async () => {
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
  });

  it('writes a register edit back to a row whose joined column is NULL', async () => {
    const table = await createPeople(peer, 2);
    const departments = peer.table('concord_departments');
    await peer.exec(
      `CREATE TABLE ${q(peer, departments)} (person_id integer PRIMARY KEY, department ${peer.types.text})`,
    );
    // Person 1 has a department; person 2 has none (the join gives NULL).
    await peer.exec(`INSERT INTO ${q(peer, departments)} (person_id, department) VALUES (1, 'Sales')`);
    const query =
      `SELECT p.id, p.name, p.email, p.city, d.department FROM ${q(peer, table)} p ` +
      `LEFT JOIN ${q(peer, departments)} d ON d.person_id = p.id`;
    const s = await sqlToRegister(db.db, peer, {
      endpoint: query,
      sourceConfig: { sql: { keyColumn: 'id' } },
      sync: { direction: 'two-way', writeBack: { table, keyColumns: ['id'] }, deleteMode: 'none' },
    });
    const run = () => runDirect(db.db, s.orgId, s.sync.id);
    expect(await run()).toMatchObject({ result: 'success', created: 2 });

    const objects = (await s.api.registers.objects({ orgId: s.orgId, schemaId: s.schema.id, pageSize: 10 }))
      .rows;
    for (const object of objects)
      await s.api.registers.updateObject({
        orgId: s.orgId,
        objectId: object.id,
        version: object.version,
        data: { ...object.data, city: 'Amsterdam' },
      });

    const back = await run();
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: back.id });
    expect(entries.filter((e) => e.action === 'failed').map((e) => e.reason)).toEqual([]);
    expect(back).toMatchObject({ failed: 0 });
    const rows = await peer.query(`SELECT id, city FROM ${q(peer, table)} ORDER BY id`);
    expect(rows.map((r) => [Number(r['id']), r['city']])).toEqual([
      [1, 'Amsterdam'],
      [2, 'Amsterdam'],
    ]);
  });
});
