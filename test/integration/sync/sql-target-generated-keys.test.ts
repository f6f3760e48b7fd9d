// An SQL target whose table gives its rows their keys (PostgreSQL serial or identity, MariaDB
// AUTO_INCREMENT), as most application tables do. A register object has no value for that key: it is
// inserted without one, and the key the database gave the row is its target id — the row the object's
// later updates and deletion find. Such a create cannot be repeated by its key, so it is written ahead:
// one interrupted after its row was committed (the contract never saved) finds that row by what it
// wrote, instead of inserting a second. A key column left out of the columns written that the database
// does not fill is a configuration problem the run names.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, createIntents, ofSynchronisation } from '@/server/db/schema';
import { executeEmbedded } from '@/server/runner/embedded';
import { failRun } from '@/server/runner/fail-run';
import { loadRun, requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { logWrites, registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

describe.each(SQL_PEERS)('an SQL target whose database gives the keys ($dialect)', ({ open }) => {
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

  const generatedKey = () =>
    peer.dialect === 'postgres' ? 'id serial PRIMARY KEY' : 'id int AUTO_INCREMENT PRIMARY KEY';

  async function setUp(options: { key?: string; columns?: Record<string, string> | null } = {}) {
    const table = peer.table('generated');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (${options.key ?? generatedKey()}, name varchar(100) NOT NULL, age int)`,
    );
    const columns =
      options.columns === null ? {} : { columns: options.columns ?? { name: 'name', age: 'age' } };
    const s = await registerToSql(db.db, peer, { table, keyColumns: ['id'], ...columns });
    const rows = async () =>
      (await peer.query(`SELECT id, name, age FROM ${q(peer, table)} ORDER BY id`)).map((r) => ({
        id: String(r['id']),
        name: r['name'],
        age: r['age'] === null ? null : Number(r['age']),
      }));
    const targetIdOf = async (originId: string) => {
      const [contract] = await db.db
        .select(contractReadColumns)
        .from(contracts)
        .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, originId)));
      return contract?.targetId;
    };
    const run = () => runDirect(db.db, s.orgId, s.sync.id);
    // A create whose process died while it was out: its intent still `sending`, no contract.
    const interrupted = (originId: string) =>
      db.db.insert(createIntents).values({
        orgId: s.orgId,
        synchronisationId: s.sync.id,
        systemId: s.to.id,
        originId,
        idempotencyKey: 'interrupted',
        runId: 'run_interrupted',
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    return { ...s, table, rows, targetIdOf, run, interrupted, writes: await logWrites(peer, table) };
  }

  it('inserts each new object without a key, links it to the key the database gave, and finds that row again', async () => {
    const s = await setUp();
    await s.put([
      { id: 'i001', data: { name: 'Ada', age: 36 } },
      { id: 'i002', data: { name: 'Grace', age: 85 } },
    ]);
    // A test run foresees the creates and writes nothing.
    const test = await runDirect(db.db, s.orgId, s.sync.id, { test: true });
    expect(test).toMatchObject({ result: 'success', created: 2, failed: 0 });
    expect(await s.rows()).toEqual([]);
    expect(await s.run()).toMatchObject({ result: 'success', created: 2, failed: 0 });
    const rows = await s.rows();
    expect(rows.map((r) => r.name).sort()).toEqual(['Ada', 'Grace']);
    const ada = rows.find((r) => r.name === 'Ada')!;
    expect(await s.targetIdOf('i001')).toBe(ada.id);
    expect(await s.targetIdOf('i002')).toBe(rows.find((r) => r.name === 'Grace')!.id);

    // Unchanged: nothing is written. Changed: the same row is updated, no second row appears.
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 0 });
    await s.put([{ id: 'i001', data: { name: 'Ada Lovelace', age: 36 } }]);
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 1 });
    expect(await s.rows()).toEqual([
      { id: ada.id, name: 'Ada Lovelace', age: 36 },
      rows.find((r) => r.name === 'Grace'),
    ]);
    expect(await s.writes.counts()).toEqual({ INSERT: 2, UPDATE: 1, DELETE: 0 });

    await s.remove('i001');
    expect(await s.run()).toMatchObject({ result: 'success', deleted: 1 });
    expect((await s.rows()).map((r) => r.name)).toEqual(['Grace']);
  });

  it('writes every field as a column beside a row key that the database gives', async () => {
    // No columns chosen: the register's id is kept in a column of its own, the table keys its rows.
    const table = peer.table('own_key');
    const rowKey =
      peer.dialect === 'postgres' ? 'row_id serial PRIMARY KEY' : 'row_id int AUTO_INCREMENT PRIMARY KEY';
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (${rowKey}, id varchar(64) NOT NULL, name varchar(100) NOT NULL, age int)`,
    );
    const s = await registerToSql(db.db, peer, { table, keyColumns: ['row_id'] });
    await s.put([{ id: 'i001', data: { name: 'Hedy', age: 41 } }]);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 1 });
    const rows = () => peer.query(`SELECT row_id, id, name, age FROM ${q(peer, table)}`);
    const [row] = await rows();
    expect(row).toMatchObject({ id: 'i001', name: 'Hedy', age: 41 });
    const [contract] = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));
    expect(contract?.targetId).toBe(String(row!['row_id']));
    await s.put([{ id: 'i001', data: { name: 'Hedy Lamarr', age: 41 } }]);
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ updated: 1, created: 0 });
    expect(await rows()).toEqual([{ ...row, name: 'Hedy Lamarr' }]);
  });

  it('links the row an interrupted create committed instead of inserting it again', async () => {
    const s = await setUp();
    await s.put([{ id: 'i001', data: { name: 'Ada', age: 36 } }]);
    // The moment a process died: the row committed, the intent still `sending`, no contract.
    await peer.exec(`INSERT INTO ${q(peer, s.table)} (name, age) VALUES ('Ada', 36)`);
    await s.interrupted('i001');
    expect(await s.run()).toMatchObject({ result: 'success', created: 1, failed: 0 });
    const rows = await s.rows();
    expect(rows).toEqual([{ id: rows[0]!.id, name: 'Ada', age: 36 }]);
    expect(await s.targetIdOf('i001')).toBe(rows[0]!.id);
    // Its intent is done with: a later change updates that row.
    await s.put([{ id: 'i001', data: { name: 'Ada', age: 37 } }]);
    expect(await s.run()).toMatchObject({ created: 0, updated: 1 });
    expect(await s.rows()).toEqual([{ id: rows[0]!.id, name: 'Ada', age: 37 }]);
  });

  it('inserts an interrupted create whose row never landed, once', async () => {
    const s = await setUp();
    await s.put([{ id: 'i001', data: { name: 'Ada', age: 36 } }]);
    await s.interrupted('i001');
    expect(await s.run()).toMatchObject({ result: 'success', created: 1 });
    expect((await s.rows()).map((r) => r.name)).toEqual(['Ada']);
  });

  it('fails a row the table refuses alone, and links the others', async () => {
    const s = await setUp();
    await s.put([
      { id: 'i001', data: { name: 'Ada', age: 36 } },
      { id: 'i002', data: { name: 'x'.repeat(100), age: 1 } },
      { id: 'i003', data: { name: 'Grace', age: 85 } },
    ]);
    await peer.exec(`ALTER TABLE ${q(peer, s.table)} ADD CONSTRAINT ${s.table}_age CHECK (age > 18)`);
    const done = await s.run();
    expect(done).toMatchObject({ result: 'warning', created: 2, failed: 1 });
    expect((await s.rows()).map((r) => r.name).sort()).toEqual(['Ada', 'Grace']);
    expect(await s.targetIdOf('i002')).toBeNull();
  });

  it('names a key column left out of the columns written that the database does not fill', async () => {
    const s = await setUp({ key: 'id varchar(20) PRIMARY KEY' });
    await s.put([{ id: 'i001', data: { name: 'Ada', age: 36 } }]);
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const thrown = await executeEmbedded(db.db, run.id, { urlPolicy: { allowPrivateNetworks: true } }).then(
      () => null,
      (error: unknown) => error,
    );
    await failRun(db.db, run.id, thrown);
    const ended = await loadRun(db.db, s.orgId, run.id);
    expect(ended.result).toBe('error');
    expect(ended.message).toMatch(/key column "id" is not among the columns written.*does not fill it/);
    expect(await s.rows()).toEqual([]);
  });

  it('updates a row whose key the database always gives (identity ALWAYS, bigint AUTO_INCREMENT)', async () => {
    const s = await setUp({
      key:
        peer.dialect === 'postgres'
          ? 'id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
          : 'id bigint AUTO_INCREMENT PRIMARY KEY',
    });
    await s.put([{ id: 'i001', data: { name: 'Ada', age: 36 } }]);
    expect(await s.run()).toMatchObject({ result: 'success', created: 1 });
    await s.put([{ id: 'i001', data: { name: 'Ada', age: 37 } }]);
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1, failed: 0 });
    const rows = await s.rows();
    expect(rows).toEqual([{ id: await s.targetIdOf('i001'), name: 'Ada', age: 37 }]);
  });
});
