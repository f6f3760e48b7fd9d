// A two-way write-back to a real SQL table (PostgreSQL and MariaDB) racing a change made at the source:
// someone's transaction changes the row the run read, and commits only once the run is about to write
// it (the run's write waits on that transaction's row lock). The run's update or deletion must not land
// on the changed row — that change would be lost — but be refused as changed meanwhile, and the next
// run must see both sides' changes (a conflict, here for a person), losing neither.
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

describe.each(SQL_PEERS)('two-way write-back racing a change at the source ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  beforeAll(async () => {
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
  });

  async function setUp() {
    const table = await createPeople(peer, 3);
    const s = await sqlToRegister(db.db, peer, {
      endpoint: table,
      sync: {
        deleteThreshold: 1,
        direction: 'two-way',
        twoWay: { conflictPolicy: 'manual' },
        deleteMode: 'hard',
      },
    });
    const run = () => runDirect(db.db, s.orgId, s.sync.id);
    const objects = async () =>
      (await s.api.registers.objects({ orgId: s.orgId, schemaId: s.schema.id, pageSize: 100 })).rows;
    const row = async (id: number) =>
      (await peer.query(`SELECT id, name, city FROM ${q(peer, table)} WHERE id = ${id}`))[0];
    expect(await run()).toMatchObject({ result: 'success', created: 3 });
    return { ...s, table, run, objects, row };
  }

  /** Whether a statement on `table` waits for a row lock (the run's write, behind the open transaction). */
  async function waiting(table: string): Promise<boolean> {
    // Asked inside the open transaction, where PostgreSQL would answer its first snapshot again.
    if (peer.dialect === 'postgres') await peer.exec('SELECT pg_stat_clear_snapshot()');
    // MariaDB's innodb_trx does not always list a statement waiting for its first lock: its process
    // list does, with the statement — one that locks or writes the table (the listing's SELECT does not).
    const rows =
      peer.dialect === 'postgres'
        ? await peer.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
            [`%${table}%`],
          )
        : await peer.query(
            `SELECT count(*) AS n FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info LIKE ? ` +
              `AND (info LIKE '%FOR UPDATE%' OR info LIKE 'INSERT%' OR info LIKE 'UPDATE%' OR info LIKE 'DELETE%')`,
            [`%${table}%`],
          );
    return Number(rows[0]?.['n']) > 0;
  }

  /** Runs while `change` sits uncommitted at the source, committing it once the run waits to write. */
  async function runRacing(table: string, change: string, run: () => ReturnType<typeof runDirect>) {
    await peer.exec(peer.dialect === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
    await peer.exec(change);
    const running = run();
    try {
      const until = Date.now() + 20_000;
      while (!(await waiting(table))) {
        if (Date.now() > until) throw new Error('the run never waited to write the row');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await peer.exec('COMMIT');
    }
    return running;
  }

  it('an update is not written over a row changed meanwhile; the next run holds both changes', async () => {
    const s = await setUp();
    const one = (await s.objects()).find((o) => o.data['email'] === 'person1@example.test')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: one.id,
      version: one.version,
      data: { ...one.data, city: 'Amsterdam' },
    });

    const raced = await runRacing(
      s.table,
      `UPDATE ${q(peer, s.table)} SET name = 'Renamed at the source' WHERE id = 1`,
      s.run,
    );
    expect(raced).toMatchObject({ failed: 1 });
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: raced.id });
    expect(entries.find((e) => e.action === 'failed')?.reason).toContain(
      'The row changed at the source after this run read it',
    );
    // The source's change stands; the register's is still in the register.
    expect(await s.row(1)).toMatchObject({ name: 'Renamed at the source', city: 'Utrecht' });
    expect((await s.objects()).find((o) => o.id === one.id)?.data['city']).toBe('Amsterdam');

    // Decided again: both sides changed, a conflict for a person, who keeps each side's change.
    const next = await s.run();
    expect(next.message).toContain('1 conflict waits for a person');
    const queue = await s.api.conflicts.list({ orgId: s.orgId });
    expect(queue.rows).toHaveLength(1);
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.sync.id, enabled: false });
    await s.api.conflicts.resolve({
      orgId: s.orgId,
      conflictId: queue.rows[0]!.id,
      take: 'fields',
      fields: { name: 'source', city: 'target' },
    });
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: s.sync.id, enabled: true });
    expect(await s.run()).toMatchObject({ failed: 0 });
    expect(await s.row(1)).toMatchObject({ name: 'Renamed at the source', city: 'Amsterdam' });
    expect((await s.objects()).find((o) => o.id === one.id)?.data).toMatchObject({
      name: 'Renamed at the source',
      city: 'Amsterdam',
    });
  });

  it('a deletion does not delete a row changed meanwhile', async () => {
    const s = await setUp();
    const two = (await s.objects()).find((o) => o.data['email'] === 'person2@example.test')!;
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: two.id });

    const raced = await runRacing(
      s.table,
      `UPDATE ${q(peer, s.table)} SET city = 'Moved meanwhile' WHERE id = 2`,
      s.run,
    );
    expect(raced).toMatchObject({ failed: 1, deleted: 0 });
    expect(await s.row(2)).toMatchObject({ city: 'Moved meanwhile' });

    // Decided again: deleted in the register, changed at the source — a conflict, the row still there.
    const next = await s.run();
    expect(next.message).toContain('1 conflict waits for a person');
    expect(await s.row(2)).toMatchObject({ city: 'Moved meanwhile' });
  });
});
