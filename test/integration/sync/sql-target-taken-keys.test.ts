// A one-way SQL target's create at a key the table already holds, in PostgreSQL and MariaDB. Upsert
// makes the table hold the source's objects by key, so a row inserted behind Concord's back is taken over
// — and the run says "updated", with an entry naming the key, never "created". Insert only leaves that
// row as it is and says so. Two objects whose data carries one key never share the row: one is written,
// the other refused naming the key, in the same run or a later one.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntries } from '@/server/db/schema';
import { sqlSourceConfig } from '@/server/sync/config/source-config';
import { sqlTargetConfigSchema } from '@/server/sync/config/sync-config';
import { createSqlTarget } from '@/server/sync/targets/sql';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { p, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { registerToSql } from '../helpers/sql-target';
import { runDirect } from '../helpers/sync-setup';

describe.each(SQL_PEERS)('an SQL target create at a taken key ($dialect)', ({ open }) => {
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

  async function setUp(sync: Partial<SynchronisationInput> = {}, columns?: Record<string, string>) {
    const table = peer.table('taken_keys');
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(100) NOT NULL, city varchar(100))`,
    );
    const s = await registerToSql(
      db.db,
      peer,
      { table, keyColumns: ['id'], ...(columns ? { columns } : {}) },
      sync,
    );
    const run = async () => {
      const done = await runDirect(db.db, s.orgId, s.sync.id);
      const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, done.id));
      return { ...done, entries };
    };
    const rows = async () =>
      (await peer.query(`SELECT id, name, city FROM ${q(peer, table)} ORDER BY id`)).map((r) => ({
        id: String(r['id']),
        name: r['name'],
        city: r['city'],
      }));
    const insertBehind = (id: string, name: string) =>
      peer.exec(
        `INSERT INTO ${q(peer, table)} (id, name, city) VALUES (${p(peer, 1)}, ${p(peer, 2)}, 'Hampton')`,
        [id, name],
      );
    return { ...s, table, run, rows, insertBehind };
  }

  it('upsert takes over a row inserted behind its back and reports it as updated, not created', async () => {
    const s = await setUp();
    await s.insertBehind('77', 'Katherine');
    await s.put([
      { id: '77', data: { name: 'Barbara', city: 'Boston' } },
      { id: '78', data: { name: 'Grace', city: 'Arlington' } },
    ]);
    const done = await s.run();
    expect(done).toMatchObject({ result: 'success', created: 1, updated: 1 });
    expect(done.entries).toEqual([
      expect.objectContaining({
        originId: '77',
        action: 'update',
        reason: expect.stringMatching(/key 77.*taken over/),
      }),
    ]);
    expect(await s.rows()).toEqual([
      { id: '77', name: 'Barbara', city: 'Boston' },
      { id: '78', name: 'Grace', city: 'Arlington' },
    ]);
  });

  it('insert only leaves a row inserted behind its back as it is, and says so', async () => {
    const s = await setUp({ writeMode: 'insert-only' });
    await s.insertBehind('77', 'Katherine');
    await s.put([{ id: '77', data: { name: 'Barbara', city: 'Boston' } }]);
    const done = await s.run();
    expect(done).toMatchObject({ result: 'success', created: 0, skipped: 1 });
    expect(done.entries).toEqual([
      expect.objectContaining({ originId: '77', reason: expect.stringMatching(/key 77.*left it as it was/) }),
    ]);
    expect(await s.rows()).toEqual([{ id: '77', name: 'Katherine', city: 'Hampton' }]);
  });

  it('writes one of two objects carrying the same key and refuses the other, in one run or the next', async () => {
    // The key column is the objects' `code`, not their id: two objects may carry the same one.
    const s = await setUp({}, { id: 'code', name: 'name', city: 'city' });
    await s.put([
      { id: 'i001', data: { code: 'K10', name: 'Grace', city: 'Arlington' } },
      { id: 'i002', data: { code: 'K10', name: 'Edsger', city: 'Austin' } },
    ]);
    const first = await s.run();
    expect(first).toMatchObject({ result: 'warning', created: 1, failed: 1 });
    expect(first.entries).toEqual([
      expect.objectContaining({
        originId: 'i002',
        action: 'failed',
        reason: expect.stringContaining('key K10'),
      }),
    ]);
    expect(await s.rows()).toEqual([{ id: 'K10', name: 'Grace', city: 'Arlington' }]);

    // A later object with the same key: the row is i001's by its contract, and stays so.
    await s.put([{ id: 'i003', data: { code: 'K10', name: 'Barbara', city: 'Boston' } }]);
    const second = await s.run();
    // (i002, refused before and unchanged since, is not sent again: rejected, as any refused version.)
    expect(second).toMatchObject({ created: 0, updated: 0, failed: 1 });
    expect(second.entries).toEqual([
      expect.objectContaining({
        originId: 'i003',
        action: 'failed',
        reason: expect.stringContaining('another object of this synchronisation holds key K10'),
      }),
    ]);
    expect(await s.rows()).toEqual([{ id: 'K10', name: 'Grace', city: 'Arlington' }]);
  });

  it('a dry run foresees the refusals the run would meet, and writes nothing', async () => {
    const s = await setUp({}, { id: 'code', name: 'name', city: 'city' });
    await s.put([{ id: 'i001', data: { code: 'K20', name: 'Grace', city: 'Arlington' } }]);
    expect(await s.run()).toMatchObject({ result: 'success', created: 1 });
    await s.put([
      { id: 'i002', data: { code: 'K20', name: 'Edsger', city: 'Austin' } },
      { id: 'i003', data: { code: 'K21', name: 'Barbara', city: 'Boston' } },
    ]);
    const dry = await runDirect(db.db, s.orgId, s.sync.id, { test: true });
    expect(dry).toMatchObject({ test: true, created: 1, failed: 1 });
    const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, dry.id));
    expect(entries.filter((e) => e.action === 'failed')).toEqual([
      expect.objectContaining({
        originId: 'i002',
        reason: expect.stringContaining('another object of this synchronisation holds key K20'),
      }),
    ]);
    expect(await s.rows()).toEqual([{ id: 'K20', name: 'Grace', city: 'Arlington' }]);
  });

  it('a dry run foresees two new objects at one key as the run then meets them', async () => {
    const s = await setUp({}, { id: 'code', name: 'name', city: 'city' });
    await s.put([
      { id: 'i001', data: { code: 'K30', name: 'Grace', city: 'Arlington' } },
      { id: 'i002', data: { code: 'K30', name: 'Edsger', city: 'Austin' } },
    ]);
    const dry = await runDirect(db.db, s.orgId, s.sync.id, { test: true });
    expect(dry).toMatchObject({ test: true, created: 1, failed: 1 });
    const entries = await db.db.select().from(runEntries).where(eq(runEntries.runId, dry.id));
    expect(entries.filter((e) => e.action === 'failed')).toEqual([
      expect.objectContaining({
        originId: 'i002',
        reason: expect.stringMatching(
          /writes the same row \(key K30\) in this batch \(foreseen: nothing was written\)/,
        ),
      }),
    ]);
    expect(await s.rows()).toEqual([]);
    // The real run meets what the dry run said.
    expect(await s.run()).toMatchObject({ created: 1, failed: 1 });
    expect(await s.rows()).toEqual([{ id: 'K30', name: 'Grace', city: 'Arlington' }]);
  });

  it('a dry run remembers the rows its earlier pages would write', async () => {
    const table = peer.table('foreseen_pages');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (id varchar(64) PRIMARY KEY, name varchar(100))`);
    const target = createSqlTarget({
      systemId: 'src_test',
      name: peer.label,
      source: sqlSourceConfig.parse(peer.config),
      secrets: {},
      target: sqlTargetConfigSchema.parse({ table, keyColumns: ['id'] }),
      writeMode: 'upsert',
      urlPolicy: { allowPrivateNetworks: true },
    });
    try {
      // Page 1 would create K40 for a; page 2 brings b at the same key, and a again (a batch sent again).
      expect(
        await target.check!([{ originId: 'a', object: { id: 'K40', name: 'Ada' }, create: true }]),
      ).toEqual([]);
      const later = await target.check!([
        { originId: 'b', object: { id: 'K40', name: 'Bob' }, create: true },
        { originId: 'a', object: { id: 'K40', name: 'Ada' }, create: true },
      ]);
      expect(later).toEqual([
        expect.objectContaining({
          originId: 'b',
          reason: expect.stringContaining('another object of this synchronisation already wrote key K40'),
        }),
      ]);
      expect(await peer.query(`SELECT id FROM ${q(peer, table)}`)).toEqual([]);
    } finally {
      await target.close();
    }
  });
});
