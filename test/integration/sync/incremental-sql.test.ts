// SQL → register, incremental, against the real PostgreSQL and MariaDB servers: the cursor is the
// column's own largest value (timestamptz written at +05:00 in PostgreSQL, a zone-less DATETIME in
// MariaDB), rows sharing one timestamp all arrive over pages of 25, a row committed between two pages
// waits for the next run, the lookback reaches back in the source's own time, an incremental run
// deletes nothing while the reconciliation run does, and a run killed mid-way loses nothing and leaves
// the cursor where it was.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractReadColumns, contracts, ofSynchronisation, syncStates } from '@/server/db/schema';
import { durableStep } from '@/server/runner/durable-step';
import { executeEmbedded } from '@/server/runner/embedded';
import { loadRun, requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { executeToCompletion } from '@/server/sync/run/execute';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { p, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { sqlToRegister } from '../helpers/sql-sync';
import { liveObjects } from '../helpers/sync-more';

const POLICY = { urlPolicy: { allowPrivateNetworks: true } };

class Killed extends Error {}

describe.each(SQL_PEERS)('an incremental SQL source ($dialect)', ({ dialect, open }) => {
  let db: TestDatabase;
  let peer: SqlPeer;
  let table: string;
  let s: Awaited<ReturnType<typeof sqlToRegister>>;
  // PostgreSQL: timestamptz, written at +05:00 and compared as instants. MariaDB: DATETIME(6), no zone.
  const zoned = dialect === 'postgres';
  const time = (utc: string) => (zoned ? `2024-05-01 ${shiftHours(utc, 5)}+05:00` : `2024-05-01 ${utc}`);
  /** The cursor as the database itself wrote the largest value (in UTC, the session's zone). */
  const cursorText = (utc: string) => (zoned ? `2024-05-01 ${utc}+00` : `2024-05-01 ${utc}`);

  async function insert(id: number, updatedUtc: string, name = `Person ${id}`) {
    await peer.exec(
      `INSERT INTO ${q(peer, table)} (id, name, email, city, updated_at) VALUES (${[1, 2, 3, 4, 5].map((n) => p(peer, n)).join(', ')})`,
      [id, name, `person${id}@example.test`, 'Utrecht', time(updatedUtc)],
    );
  }
  const touch = (id: number, updatedUtc: string, name: string) =>
    peer.exec(
      `UPDATE ${q(peer, table)} SET name = ${p(peer, 1)}, updated_at = ${p(peer, 2)} WHERE id = ${p(peer, 3)}`,
      [name, time(updatedUtc), id],
    );

  const request = async (full = false) =>
    (await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual', full })).run;
  async function runOnce(full = false) {
    const run = await request(full);
    await executeEmbedded(db.db, run.id, POLICY);
    return loadRun(db.db, s.orgId, run.id);
  }
  const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });
  const names = async () => (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name as string);

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await open();
    table = peer.table('incremental_people');
    const type = zoned ? 'timestamptz' : 'datetime(6)';
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id integer PRIMARY KEY, name ${peer.types.text} NOT NULL, email ${peer.types.text}, city ${peer.types.text}, updated_at ${type})`,
    );
    for (let id = 1; id <= 60; id++) await insert(id, '05:00:00');
    s = await sqlToRegister(db.db, peer, {
      endpoint: table,
      sourceConfig: {
        sql: { pageSize: 25 },
        incremental: { field: 'updated_at', lookbackSeconds: 1800 },
      },
      sync: { deleteMode: 'hard' },
    });
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
    await db?.close();
  });

  it('lists everything first, 60 rows of one timestamp over pages of 25, and takes the largest value', async () => {
    expect(await runOnce()).toMatchObject({
      result: 'success',
      listing: 'full',
      found: 60,
      created: 60,
      pagesFetched: 3,
      complete: true,
    });
    expect(await state()).toMatchObject({ cursor: cursorText('05:00:00'), runsSinceFull: 0 });
  });

  it('reads from the cursor inclusive: a new row sharing its timestamp arrives', async () => {
    await insert(61, '05:00:00');
    const run = await runOnce();
    expect(run).toMatchObject({ listing: 'incremental', found: 61, created: 1, skipped: 60, deleted: 0 });
    expect(run.message).toMatch(/^Incremental run \(changes from /);
    expect(await names()).toContain('Person 61');
    expect(await state()).toMatchObject({ cursor: cursorText('05:00:00'), runsSinceFull: 1 });
  });

  it('leaves a row committed between two pages to the next run, which reads it', async () => {
    const run = await request();
    const inner = durableStep(db.db, run.id);
    // Between page 1 and page 2: a new row, and a change to a row page 1 has already read.
    const committing: StepRunner = {
      run: async (id, fn) => {
        if (id === 'page-2') {
          await insert(62, '06:00:00');
          await touch(3, '06:00:00', 'Person three');
        }
        return inner.run(id, fn);
      },
    };
    await executeToCompletion(db.db, run.id, committing, POLICY);
    // The bound was frozen before page 1: neither change belongs to this run.
    expect(await loadRun(db.db, s.orgId, run.id)).toMatchObject({ created: 0, updated: 0, complete: true });
    expect(await names()).not.toContain('Person 62');
    expect(await state()).toMatchObject({ cursor: cursorText('05:00:00') });

    expect(await runOnce()).toMatchObject({ listing: 'incremental', created: 1, updated: 1 });
    const now = await names();
    expect(now).toContain('Person 62');
    expect(now).toContain('Person three');
    expect(await state()).toMatchObject({ cursor: cursorText('06:00:00') });
  });

  it('compares in the source’s own time: the lookback of 30 minutes reaches 05:30 UTC, not before', async () => {
    // Written in PostgreSQL as 10:29 and 10:31 at +05:00: as text both sort after "06:00:00+00".
    await insert(63, '05:29:00');
    await insert(64, '05:31:00');
    expect(await runOnce()).toMatchObject({ listing: 'incremental', found: 3, created: 1 });
    const now = await names();
    expect(now).toContain('Person 64');
    expect(now).not.toContain('Person 63');
  });

  it('deletes nothing incrementally; the reconciliation run deletes what vanished and brings what it missed', async () => {
    await peer.exec(`DELETE FROM ${q(peer, table)} WHERE id = 10`);
    expect(await runOnce()).toMatchObject({ listing: 'incremental', deleted: 0 });
    expect(await names()).toContain('Person 10');

    const full = await runOnce(true);
    expect(full).toMatchObject({ listing: 'full', result: 'success', deleted: 1, created: 1, found: 63 });
    expect(full.message).toMatch(/^Full reconciliation \(it was asked for\):/);
    const now = await names();
    expect(now).not.toContain('Person 10');
    expect(now).toContain('Person 63');
    expect(await state()).toMatchObject({ runsSinceFull: 0, cursor: cursorText('06:00:00') });
  });

  it('loses nothing when killed mid-run, and moves the cursor only when the run completes', async () => {
    // 42 rows in the window [05:30, 07:00] (row 10 is gone): two pages, and the process dies before the second.
    await peer.exec(`UPDATE ${q(peer, table)} SET updated_at = ${p(peer, 1)} WHERE id <= 40`, [
      time('07:00:00'),
    ]);
    await touch(1, '07:00:00', 'Person one');
    await touch(50, '07:00:00', 'Person fifty');
    const run = await request();
    const inner = durableStep(db.db, run.id);
    const dying: StepRunner = {
      run: (id, fn) => (id === 'page-2' ? Promise.reject(new Killed(id)) : inner.run(id, fn)),
    };
    await expect(executeToCompletion(db.db, run.id, dying, POLICY)).rejects.toBeInstanceOf(Killed);
    const [row] = await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, s.sync.id));
    expect(row!.cursor).toBe(cursorText('06:00:00'));

    // The process comes back: the same run resumes from its memo, within the window it froze.
    await executeToCompletion(db.db, run.id, durableStep(db.db, run.id), POLICY);
    expect(await loadRun(db.db, s.orgId, run.id)).toMatchObject({
      status: 'finished',
      listing: 'incremental',
      found: 42,
      // The mapping leaves updated_at out: only the two renamed rows change what the register holds.
      updated: 2,
      skipped: 40,
      complete: true,
    });
    const now = await names();
    expect(now).toEqual(expect.arrayContaining(['Person one', 'Person fifty']));
    expect(new Set(now).size).toBe(now.length);
    const rows = await db.db
      .select(contractReadColumns)
      .from(contracts)
      .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, '50')));
    expect(rows).toHaveLength(1);
    expect(await state()).toMatchObject({ cursor: cursorText('07:00:00') });
  });
});

/** `05:00:00` plus whole hours, as wall-clock text (the tests stay within one day). */
function shiftHours(clock: string, hours: number): string {
  const [h, rest] = [Number(clock.slice(0, 2)), clock.slice(2)];
  return `${String(h + hours).padStart(2, '0')}${rest}`;
}
