// Values pushed from the register into an application's own table, whose columns have types of their
// own, as they arrive there: a moment with an offset in a column without a time zone (PostgreSQL
// `timestamp`, MariaDB `datetime`) holds that moment in UTC, as Concord reads such a column back; a
// boolean in a number column (a smallint or int flag) is 1 or 0; a JSON column (MariaDB's a checked
// longtext) holds the register's value as JSON, whatever its type: text stays text. A value its column
// refuses (too long, out of range, not a date) is refused naming the column, which PostgreSQL's own
// words leave out — also in a MariaDB table without transactions (MyISAM), which stored it
// altered ('Bobby', 32767, 0000-00-00) and counted it created. A fraction for a whole-number column is
// refused too: MariaDB rounded 1.5 to 2 without a word.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntries } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

describe.each(SQL_PEERS)('register values into an application’s table ($dialect)', ({ dialect, open }) => {
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

  const pg = dialect === 'postgres';
  /** The column's value as the database writes it as text. */
  const asText = (column: string) => (pg ? `${column}::text` : `CAST(${column} AS char)`);

  it('a moment with an offset lands in a column without a time zone in UTC, not at its wall clock', async () => {
    const table = peer.table('sqltarget_moments');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(100), ` +
        `seen ${pg ? 'timestamp(6)' : 'datetime(6)'})`,
    );
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
    await t.put([
      { id: 'm1', data: { name: 'East', seen: '2024-05-01T12:30:00.123456+02:00' } },
      { id: 'm2', data: { name: 'West', seen: '2024-12-31T23:30:00-05:00' } },
      { id: 'm3', data: { name: 'UTC', seen: '2024-05-01T10:30:00Z' } },
      { id: 'm4', data: { name: 'Zone-less', seen: '2024-05-01T10:30:00' } },
    ]);
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', created: 4 });
    const rows = await peer.query(`SELECT id, ${asText('seen')} AS seen FROM ${q(peer, table)} ORDER BY id`);
    expect(rows.map((r) => [r['id'], r['seen']])).toEqual([
      ['m1', '2024-05-01 10:30:00.123456'],
      ['m2', pg ? '2025-01-01 04:30:00' : '2025-01-01 04:30:00.000000'],
      ['m3', pg ? '2024-05-01 10:30:00' : '2024-05-01 10:30:00.000000'],
      ['m4', pg ? '2024-05-01 10:30:00' : '2024-05-01 10:30:00.000000'],
    ]);
  });

  it('a date column takes the date as written, whatever time and zone follow it, in both databases', async () => {
    const table = peer.table('sqltarget_days');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, born date)`);
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
    await t.put([
      { id: 'd1', data: { born: '1990-05-01T00:00:00+02:00' } },
      { id: 'd2', data: { born: '1990-05-01T23:30:00-05:00' } },
      { id: 'd3', data: { born: '1990-05-01' } },
    ]);
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', created: 3 });
    const rows = await peer.query(`SELECT id, ${asText('born')} AS born FROM ${q(peer, table)} ORDER BY id`);
    expect(rows.map((r) => [r['id'], r['born']])).toEqual([
      ['d1', '1990-05-01'],
      ['d2', '1990-05-01'],
      ['d3', '1990-05-01'],
    ]);
  });

  it('a boolean lands in a number column as 1 or 0', async () => {
    const table = peer.table('sqltarget_flags');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, active smallint NOT NULL, ` +
        `vip integer, score numeric(3,0))`,
    );
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
    await t.put([
      { id: 'f1', data: { active: true, vip: false, score: true } },
      { id: 'f2', data: { active: false, vip: null, score: 7 } },
    ]);
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({
      result: 'success',
      created: 2,
      failed: 0,
    });
    const rows = await peer.query(
      `SELECT id, active, vip, ${asText('score')} AS score FROM ${q(peer, table)} ORDER BY id`,
    );
    expect(rows.map((r) => [r['id'], r['active'], r['vip'], r['score']])).toEqual([
      ['f1', 1, 0, '1'],
      ['f2', 0, null, '7'],
    ]);
    // Unchanged, nothing is sent again; a flag that changes updates its row.
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', skipped: 2 });
    await t.put([{ id: 'f2', data: { active: true, vip: null, score: 7 } }]);
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', updated: 1 });
    expect((await peer.query(`SELECT active FROM ${q(peer, table)} WHERE id = 'f2'`))[0]?.['active']).toBe(1);
  });

  it('a JSON column holds any value as JSON, a text as a JSON string', async () => {
    const table = peer.table('sqltarget_docs');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, doc ${peer.types.json})`);
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
    const docs: [string, unknown][] = [
      ['j1', 'plain text'],
      ['j2', '{"k":1}'],
      ['j3', '123'],
      ['j4', 5],
      ['j5', true],
      ['j6', { o: [1, 'é😀'] }],
      ['j7', null],
    ];
    await t.put(docs.map(([id, doc]) => ({ id, data: { doc } })));
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({
      result: 'success',
      created: docs.length,
      failed: 0,
    });
    const rows = await peer.query(`SELECT id, ${asText('doc')} AS doc FROM ${q(peer, table)} ORDER BY id`);
    const json = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : text);
    expect(rows.map((r) => [r['id'], json(r['doc'])])).toEqual(docs);
  });

  it('a value its column refuses fails its object naming the column, and the other rows land', async () => {
    const table = peer.table('sqltarget_refusals');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(5), city varchar(5), ` +
        `qty smallint, stock smallint, born date, since date)`,
    );
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
    await t.put([
      { id: 'r1', data: { name: 'Ann', city: 'Amsterdam', qty: 1, born: '2024-05-01' } },
      { id: 'r2', data: { name: 'Bob', city: 'Ede', qty: 1, stock: 70000 } },
      { id: 'r3', data: { name: 'Cas', city: 'Ede', born: '2024-05-01', since: 'soon' } },
      { id: 'r4', data: { name: 'Dirk', city: 'Ede', qty: 2, stock: 3, born: '2024-02-29' } },
    ]);
    const run = await runDirect(db.db, t.orgId, t.sync.id);
    expect(run).toMatchObject({ result: 'warning', created: 1, failed: 3 });
    const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
    const reason = (id: string) => entries.find((e) => e.originId === id)?.reason ?? '';
    // PostgreSQL's words with the column added; MariaDB's name it (`db`.`table`.`column`).
    const names = (column: string) => new RegExp(`column[^,;]*\\b${column}\\b`, 'i');
    expect(reason('r1')).toMatch(names('city'));
    expect(reason('r2')).toMatch(names('stock'));
    expect(reason('r3')).toMatch(names('since'));
    expect((await peer.query(`SELECT id FROM ${q(peer, table)}`)).map((r) => r['id'])).toEqual(['r4']);
  });

  it('a fraction for a whole-number column is refused naming the column, never rounded', async () => {
    const table = peer.table('sqltarget_counts');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, qty integer, stock bigint, price decimal(10,2))`,
    );
    const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
    await t.put([
      { id: 'w1', data: { qty: 1.5, stock: 1, price: 1.5 } },
      { id: 'w2', data: { qty: 2, stock: '2.5', price: '2.50' } },
      { id: 'w3', data: { qty: 3, stock: '3', price: 3.25 } },
    ]);
    const run = await runDirect(db.db, t.orgId, t.sync.id);
    expect(run).toMatchObject({ result: 'warning', created: 1, failed: 2 });
    const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
    const reason = (id: string) => entries.find((e) => e.originId === id)?.reason ?? '';
    expect(reason('w1')).toMatch(/column "qty" holds whole numbers: 1\.5 is not one/);
    expect(reason('w2')).toMatch(/column "stock" holds whole numbers: "2\.5" is not one/);
    const rows = await peer.query(`SELECT id, qty, ${asText('price')} AS price FROM ${q(peer, table)}`);
    expect(rows.map((r) => [r['id'], Number(r['qty']), r['price']])).toEqual([['w3', 3, '3.25']]);
  });

  // Defined for the one dialect it is about (not skipped for the other: CI skips no test).
  if (dialect === 'mysql')
    it.each(['MyISAM'])(
      'a %s table refuses a value its column cannot hold instead of storing it altered',
      async (engine) => {
        const table = peer.table('sqltarget_plain');
        await peer.exec(
          `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(5), qty smallint, born date) ENGINE=${engine}`,
        );
        const t = await registerToSql(db.db, peer, { table, keyColumns: ['id'] }, { deleteMode: 'none' });
        await t.put([
          { id: 'a', data: { name: 'Ann', qty: 1, born: '2024-01-01' } },
          { id: 'b', data: { name: 'Bobby Tables', qty: 1, born: '2024-01-01' } },
          { id: 'c', data: { name: 'Cas', qty: 70000, born: '2024-01-01' } },
          { id: 'd', data: { name: 'Dirk', qty: 1, born: '2024-02-30' } },
          { id: 'e', data: { name: 'Eva', qty: 2, born: '2024-02-29' } },
        ]);
        const run = await runDirect(db.db, t.orgId, t.sync.id);
        expect(run).toMatchObject({ result: 'warning', created: 2, failed: 3 });
        const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
        const reason = (id: string) => entries.find((e) => e.originId === id)?.reason ?? '';
        expect(reason('b')).toMatch(/Data too long for column 'name'/);
        expect(reason('c')).toMatch(/Out of range value for column 'qty'/);
        expect(reason('d')).toMatch(/Incorrect date value: '2024-02-30'/);
        const rows = await peer.query(
          `SELECT id, name, qty, ${asText('born')} AS born FROM ${q(peer, table)} ORDER BY id`,
        );
        expect(rows.map((r) => [r['id'], r['name'], r['qty'], r['born']])).toEqual([
          ['a', 'Ann', 1, '2024-01-01'],
          ['e', 'Eva', 2, '2024-02-29'],
        ]);
      },
    );
});
