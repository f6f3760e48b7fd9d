// The synchronisations' numbers (migration 0029): the contracts' indexes lead with a small number per
// synchronisation instead of its id, so the number must be given to every synchronisation, stay its
// own, and be the one each of its contracts holds — or a contract would be found under another
// synchronisation, or not at all.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, ofSynchronisation, synchronisations } from '@/server/db/schema';
import { openStoreFixture, state, type StoreOrg } from '../helpers/contract-store-fixture';
import type { TestDatabase } from '../helpers/database';

let db: TestDatabase;
let orgA: StoreOrg;
let orgB: StoreOrg;
beforeAll(async () => {
  ({ db, orgA, orgB } = await openStoreFixture());
});
afterAll(() => db.close());

const numberOf = async (syncId: string) =>
  (
    await db.db
      .select({ seq: synchronisations.seq })
      .from(synchronisations)
      .where(eq(synchronisations.id, syncId))
  )[0]?.seq;

const contractNumbers = async (syncId: string) =>
  (await db.db.select({ seq: contracts.syncSeq }).from(contracts).where(ofSynchronisation(syncId))).map(
    (r) => r.seq,
  );

describe("a synchronisation's number", () => {
  it('is given to each new synchronisation, one above the highest, in either organisation', async () => {
    const first = await orgA.sync();
    const second = await orgB.sync();
    const a = await numberOf(first.syncId);
    expect(a).toBeGreaterThan(0);
    expect(await numberOf(second.syncId)).toBe(a! + 1);
  });

  it('is the one every contract of the synchronisation holds, and keeps them apart', async () => {
    const mine = await orgA.sync();
    const other = await orgA.sync();
    await mine.store.upsert([state('1'), state('2')]);
    await other.store.upsert([state('1')]);
    expect(await contractNumbers(mine.syncId)).toEqual([
      await numberOf(mine.syncId),
      await numberOf(mine.syncId),
    ]);
    expect(await contractNumbers(other.syncId)).toEqual([await numberOf(other.syncId)]);
    // The same origin id in two synchronisations: two contracts, each found by its own.
    const lookup = await mine.store.lookup({ runId: await mine.newRun(), page: 1, originIds: ['1'] });
    expect(lookup.contracts.map((c) => c.targetHash)).toEqual(['target-hash-1']);
  });

  it('is not handed out again while a contract holds it', async () => {
    const doomed = await orgA.sync();
    await doomed.store.upsert([state('x')]);
    const n = (await numberOf(doomed.syncId))!;
    // A contract left behind (as if its synchronisation's deletion had not reached it): the next
    // synchronisation's number is above the one it holds.
    await db.client.execute('PRAGMA foreign_keys = OFF');
    await db.client.execute({ sql: 'DELETE FROM synchronisations WHERE id = ?', args: [doomed.syncId] });
    await db.client.execute('PRAGMA foreign_keys = ON');
    const held = await db.client.execute({
      sql: 'SELECT count(*) AS n FROM contracts WHERE sync_seq = ?',
      args: [n],
    });
    expect(Number(held.rows[0]!.n)).toBe(1);
    const next = await orgA.sync();
    expect(await numberOf(next.syncId)).toBe(n + 1);
    expect(await next.store.countActive({ before: new Date(Date.now() + 60_000) })).toBe(0);
  });

  it('cannot be changed', async () => {
    const mine = await orgA.sync();
    await expect(
      db.client.execute({
        sql: 'UPDATE synchronisations SET seq = seq + 1000 WHERE id = ?',
        args: [mine.syncId],
      }),
    ).rejects.toThrow(/keeps its number/);
  });
});

describe("a contract's number", () => {
  // Since migration 0037 the number is the contract's only link to its synchronisation: a foreign key.
  it('is refused when no synchronisation has it, or left out', async () => {
    await orgA.sync();
    await expect(
      db.client.execute({
        sql: `INSERT INTO contracts (id, sync_seq, origin_id, status, created_at, updated_at_offset)
              VALUES ('con_wrong', (SELECT max(seq) + 1000 FROM synchronisations), 'w', 'synced', 0, 0)`,
      }),
    ).rejects.toThrow(/constraint failed/);
    await expect(
      db.client.execute({
        sql: `INSERT INTO contracts (id, origin_id, status, created_at, updated_at_offset)
              VALUES ('con_none', 'w', 'synced', 0, 0)`,
      }),
    ).rejects.toThrow(/NOT NULL constraint failed: contracts.sync_seq/);
    const stored = await db.client.execute(
      "SELECT count(*) AS n FROM contracts WHERE id LIKE 'con_wrong' OR id = 'con_none'",
    );
    expect(Number(stored.rows[0]!.n)).toBe(0);
  });

  it('cannot move to another synchronisation', async () => {
    const mine = await orgA.sync();
    const other = await orgA.sync();
    await mine.store.upsert([state('m')]);
    await expect(
      db.client.execute({
        sql: `UPDATE contracts SET sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)
              WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)`,
        args: [other.syncId, mine.syncId],
      }),
    ).rejects.toThrow(/keeps its synchronisation/);
  });

  it("takes the synchronisation's contracts with it when it is deleted, and no other's", async () => {
    const doomed = await orgA.sync();
    const kept = await orgA.sync();
    await doomed.store.upsert([state('d1'), state('d2')]);
    await kept.store.upsert([state('d1')]);
    await db.client.execute({ sql: 'DELETE FROM synchronisations WHERE id = ?', args: [doomed.syncId] });
    expect(await contractNumbers(doomed.syncId)).toEqual([]);
    const left = await db.client.execute({
      sql: 'SELECT count(*) AS n FROM contracts WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)',
      args: [kept.syncId],
    });
    expect(Number(left.rows[0]!.n)).toBe(1);
  });
});
