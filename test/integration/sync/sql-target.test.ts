// A register schema pushed into PostgreSQL and MariaDB tables, set up through the API and run as the
// embedded runner runs it. What the database really wrote is counted by a trigger on the table: the
// first run inserts every row, an unchanged re-run writes none, a forced run writes no identical row
// (PostgreSQL), a change updates its one row; rows the table refuses (CHECK, NOT NULL) fail with the
// database's words while the others land; hard and soft deletion; insert only and update only; and a
// row the address policy forbids is never written.
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, ofSynchronisation, runEntries } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { executeEmbedded } from '@/server/runner/embedded';
import { failRun } from '@/server/runner/fail-run';
import { loadRun, requestRun } from '@/server/services/runs';
import { logWrites, registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

type Item = { id: string; data: Record<string, unknown> };

const item = (n: number, changes: Record<string, unknown> = {}): Item => ({
  id: `i${String(n).padStart(3, '0')}`,
  data: {
    name: `Item ${n}`,
    age: n,
    score: n + 0.5,
    active: n % 2 === 0,
    tags: ['a', `t${n}`],
    address: { city: 'Utrecht', no: n },
    seen: '2024-05-01T10:00:00.123Z',
    ...changes,
  },
});
const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => item(from + i));

function itemTable(peer: SqlPeer, name: string): string {
  const pg = peer.dialect === 'postgres';
  return (
    `CREATE TABLE ${q(peer, name)} (id varchar(64) PRIMARY KEY, name varchar(100) NOT NULL, ` +
    `age bigint CHECK (age >= 0), score double precision, active boolean, ` +
    `tags ${pg ? 'jsonb' : 'json'}, address ${pg ? 'jsonb' : 'json'}, ` +
    `seen ${pg ? 'timestamptz' : 'datetime(6)'}, deleted_at ${pg ? 'timestamptz' : 'datetime(6)'})`
  );
}

describe.each(SQL_PEERS)('register → SQL table ($dialect)', ({ dialect, open }) => {
  let db: TestDatabase;
  let peer: SqlPeer;
  const drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await open();
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    await peer?.dropAll();
    await peer?.close();
    await db?.close();
  });

  async function setUp(
    sync: Parameters<typeof registerToSql>[3] = {},
    target: Record<string, unknown> = {},
    connection: Record<string, unknown> = {},
  ) {
    const table = peer.table('sqltarget_items');
    await peer.exec(itemTable(peer, table));
    const log = await logWrites(peer, table);
    drops.push(() => log.drop());
    const s = await registerToSql(db.db, peer, { table, keyColumns: ['id'], ...target }, sync, connection);
    const run = (mode: { force?: boolean } = {}) => runDirect(db.db, s.orgId, s.sync.id, mode);
    const rows = async () =>
      peer.query(`SELECT id, name, age, active, tags, deleted_at FROM ${q(peer, table)} ORDER BY id`);
    return { ...s, table, log, run, rows };
  }

  describe('upsert, hard deletion', () => {
    let t: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      t = await setUp();
    });

    it('creates a row per object', async () => {
      await t.put(items(1, 12));
      expect(await t.run()).toMatchObject({ result: 'success', found: 12, created: 12, failed: 0 });
      expect(await t.log.counts()).toEqual({ INSERT: 12, UPDATE: 0, DELETE: 0 });
      const rows = await t.rows();
      expect(rows).toHaveLength(12);
      const first = rows[0]!;
      expect(first).toMatchObject({ id: 'i001', name: 'Item 1', active: dialect === 'postgres' ? false : 0 });
      expect(String(first['age'])).toBe('1');
      const tags = typeof first['tags'] === 'string' ? JSON.parse(first['tags']) : first['tags'];
      expect(tags).toEqual(['a', 't1']);
    });

    it('writes nothing on an unchanged re-run', async () => {
      expect(await t.run()).toMatchObject({ result: 'success', skipped: 12, created: 0, updated: 0 });
      expect(await t.log.counts()).toEqual({ INSERT: 12, UPDATE: 0, DELETE: 0 });
    });

    it('a forced run sends every row again; PostgreSQL writes none of the identical rows', async () => {
      expect(await t.run({ force: true })).toMatchObject({ result: 'success', rewritten: 12, failed: 0 });
      const counts = await t.log.counts();
      expect(counts.INSERT).toBe(12);
      // MariaDB fires its UPDATE triggers for every row of ON DUPLICATE KEY UPDATE, changed or not (InnoDB
      // itself does not rewrite an identical row); PostgreSQL's WHERE … IS DISTINCT FROM skips them.
      if (dialect === 'postgres') expect(counts.UPDATE).toBe(0);
    });

    it('updates the one row whose object changed', async () => {
      const before = (await t.log.counts()).UPDATE;
      await t.put([item(3, { name: 'Item three' })]);
      expect(await t.run()).toMatchObject({ result: 'success', updated: 1, skipped: 11 });
      expect((await t.log.counts()).UPDATE).toBe(before + 1);
      expect((await t.rows()).find((r) => r['id'] === 'i003')?.['name']).toBe('Item three');
    });

    it('refuses the rows the table refuses, with the database’s words, and writes the rest', async () => {
      await t.put([item(20), item(21, { age: -5 }), { id: 'i022', data: { age: 3 } }, item(23)]);
      const run = await t.run();
      expect(run).toMatchObject({ result: 'warning', created: 2, failed: 2 });
      const ids = (await t.rows()).map((r) => r['id']);
      expect(ids).toEqual(expect.arrayContaining(['i020', 'i023']));
      expect(ids).not.toContain('i021');
      expect(ids).not.toContain('i022');
      const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, run.id));
      const reason = (id: string) => entries.find((e) => e.originId === id)?.reason ?? '';
      expect(reason('i021')).toMatch(/check constraint|CONSTRAINT .* failed/i);
      expect(reason('i022')).toMatch(
        /null value in column "name"|Field 'name' doesn't have a default value/i,
      );
      const [refused] = await db.db
        .select(contractReadColumns)
        .from(contracts)
        .where(and(ofSynchronisation(t.sync.id), eq(contracts.originId, 'i021')));
      expect(refused?.status).toBe('rejected');
      // Not sent again until it changes.
      expect(await t.run()).toMatchObject({ failed: 0, created: 0, updated: 0 });
    });

    it('deletes the row of an object that left the register', async () => {
      await t.remove('i005');
      expect(await t.run()).toMatchObject({ result: 'success', deleted: 1 });
      expect((await t.rows()).map((r) => r['id'])).not.toContain('i005');
      expect((await t.log.counts()).DELETE).toBe(1);
    });
  });

  it('soft deletion marks the row with the moment instead of deleting it', async () => {
    const t = await setUp({ deleteMode: 'soft' }, { softDelete: { column: 'deleted_at', value: '{{now}}' } });
    await t.put(items(1, 3));
    expect(await t.run()).toMatchObject({ created: 3 });
    await t.remove('i002');
    expect(await t.run()).toMatchObject({ result: 'success', deleted: 1 });
    const rows = await t.rows();
    expect(rows.map((r) => r['id'])).toEqual(['i001', 'i002', 'i003']);
    expect(rows.map((r) => r['deleted_at'] !== null)).toEqual([false, true, false]);
    expect(await t.log.counts()).toEqual({ INSERT: 3, UPDATE: 1, DELETE: 0 });
  });

  it('chosen columns with a key of two columns: renamed fields, paths, and deletion by both', async () => {
    const table = peer.table('sqltarget_pairs');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (tenant varchar(20) NOT NULL, code varchar(64) NOT NULL, ` +
        `full_name varchar(100) NOT NULL, city varchar(50), PRIMARY KEY (tenant, code))`,
    );
    const target = {
      table,
      keyColumns: ['tenant', 'code'],
      columns: { tenant: 'tenant', code: 'id', full_name: 'name', city: 'address.city' },
    };
    const t = await registerToSql(db.db, peer, target);
    await t.put([item(1, { tenant: 'nl' }), item(2, { tenant: 'be' })]);
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', created: 2 });
    const rows = () => peer.query(`SELECT * FROM ${q(peer, table)} ORDER BY tenant`);
    expect(await rows()).toEqual([
      { tenant: 'be', code: 'i002', full_name: 'Item 2', city: 'Utrecht' },
      { tenant: 'nl', code: 'i001', full_name: 'Item 1', city: 'Utrecht' },
    ]);
    const [contract] = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(and(ofSynchronisation(t.sync.id), eq(contracts.originId, 'i001')));
    expect(contract?.targetId).toBe('["nl","i001"]');
    await t.remove('i001');
    expect(await runDirect(db.db, t.orgId, t.sync.id)).toMatchObject({ result: 'success', deleted: 1 });
    expect((await rows()).map((r) => r['tenant'])).toEqual(['be']);
  });

  it('moves the row of an object whose key changed, and refuses a move onto another row', async () => {
    const table = peer.table('sqltarget_codes');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (code varchar(20) PRIMARY KEY, name varchar(100))`);
    const log = await logWrites(peer, table);
    drops.push(() => log.drop());
    const target = { table, keyColumns: ['code'], columns: { code: 'code', name: 'name' } };
    const t = await registerToSql(db.db, peer, target, { deleteMode: 'none' });
    const run = () => runDirect(db.db, t.orgId, t.sync.id);
    const rows = async () =>
      (await peer.query(`SELECT code, name FROM ${q(peer, table)} ORDER BY code`)).map((r) => [
        r['code'],
        r['name'],
      ]);
    // The origin id stays `id`; the key column is the object's code.
    await t.put([
      { id: 'm1', data: { code: 'A', name: 'First' } },
      { id: 'm2', data: { code: 'C', name: 'Third' } },
    ]);
    expect(await run()).toMatchObject({ created: 2 });
    await t.put([{ id: 'm1', data: { code: 'B', name: 'First' } }]);
    expect(await run()).toMatchObject({ result: 'success', updated: 1 });
    expect(await rows()).toEqual([
      ['B', 'First'],
      ['C', 'Third'],
    ]);
    expect(await log.counts()).toEqual({ INSERT: 2, UPDATE: 1, DELETE: 0 });
    // Onto a key another object's row holds: refused with the database's words, nothing overwritten.
    await t.put([{ id: 'm1', data: { code: 'C', name: 'First' } }]);
    expect(await run()).toMatchObject({ result: 'warning', failed: 1 });
    expect(await rows()).toEqual([
      ['B', 'First'],
      ['C', 'Third'],
    ]);
  });

  it('insert only creates rows and never updates them', async () => {
    const t = await setUp({ writeMode: 'insert-only', deleteMode: 'none' });
    await t.put(items(1, 2));
    expect(await t.run()).toMatchObject({ created: 2 });
    await t.put([item(1, { name: 'Renamed' })]);
    expect(await t.run()).toMatchObject({ result: 'success', created: 0, updated: 0 });
    expect((await t.rows()).map((r) => r['name'])).toEqual(['Item 1', 'Item 2']);
    expect(await t.log.counts()).toEqual({ INSERT: 2, UPDATE: 0, DELETE: 0 });
  });

  it('update only updates the rows the table has and creates none', async () => {
    const t = await setUp({ writeMode: 'update-only', deleteMode: 'none' });
    await peer.exec(`INSERT INTO ${q(peer, t.table)} (id, name) VALUES ('i001', 'Old')`);
    await t.put(items(1, 2));
    expect(await t.run()).toMatchObject({ result: 'success', updated: 1, created: 0, skipped: 1 });
    expect((await t.rows()).map((r) => [r['id'], r['name']])).toEqual([['i001', 'Item 1']]);
    // The one insert is the test's own row above.
    expect(await t.log.counts()).toEqual({ INSERT: 1, UPDATE: 1, DELETE: 0 });
  });

  // Defined for the one dialect it is about (not skipped for the other: CI skips no test).
  if (dialect === 'postgres')
    it('a row locked past the statement timeout fails for now, and lands on the next run', async () => {
      const t = await setUp({ deleteMode: 'none' }, {}, { timeoutMs: 1000 });
      await t.put(items(1, 2));
      expect(await t.run()).toMatchObject({ created: 2 });
      const locker = new pg.Client({ ...peer.config, password: undefined });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`SELECT * FROM "${t.table}" WHERE id = 'i001' FOR UPDATE`);
        await t.put([item(1, { name: 'Changed' })]);
        const blocked = await t.run();
        expect(blocked).toMatchObject({ result: 'warning', failed: 1, updated: 0 });
        const [contract] = await db.db
          .select(contractReadColumns)
          .from(contracts)
          .where(and(ofSynchronisation(t.sync.id), eq(contracts.originId, 'i001')));
        expect(contract?.status).toBe('failed');
        expect(contract?.lastError).toMatch(/statement timeout/);
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      expect(await t.run()).toMatchObject({ result: 'success', updated: 1, failed: 0 });
      expect((await t.rows()).find((r) => r['id'] === 'i001')?.['name']).toBe('Changed');
    });

  if (dialect === 'mysql')
    it('a user that may only read ends the run with what to grant, the password nowhere', async () => {
      const password = 'pw-SQLTARGET-ro-81c2';
      const user = await peer.reader(password);
      const table = peer.table('sqltarget_ro');
      await peer.exec(itemTable(peer, table));
      const t = await registerToSql(
        db.db,
        peer,
        { table, keyColumns: ['id'] },
        { deleteMode: 'none' },
        { user },
      );
      await t.api.sources.update({ orgId: t.orgId, sourceId: t.to.id, secrets: { password } });
      await t.put(items(1, 2));
      const { run } = await requestRun(db.db, t.orgId, t.sync.id, { trigger: 'manual' });
      const thrown = await executeEmbedded(db.db, run.id, { urlPolicy: { allowPrivateNetworks: true } }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(String(thrown)).toMatch(
        /may not write to the table .*grant it SELECT, INSERT, UPDATE and DELETE/,
      );
      expect(String(thrown)).not.toContain(password);
      expect(await peer.query(`SELECT * FROM ${q(peer, table)}`)).toEqual([]);
    });

  it('connects only where the address policy allows: a private address ends the run, nothing written', async () => {
    const t = await setUp({ deleteMode: 'none' });
    await t.put(items(1, 2));
    // As the runner does: a batch that throws ends the run in error with its message.
    const { run } = await requestRun(db.db, t.orgId, t.sync.id, { trigger: 'manual' });
    const thrown = await executeEmbedded(db.db, run.id, { urlPolicy: { allowPrivateNetworks: false } }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Error);
    await failRun(db.db, run.id, thrown);
    const ended = await loadRun(db.db, t.orgId, run.id);
    expect(ended.result).toBe('error');
    expect(ended.message).toMatch(/the connection was refused: .*(private|loopback)/i);
    expect(await t.rows()).toEqual([]);
  });
});
