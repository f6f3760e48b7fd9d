// A transaction held across awaits and a write from elsewhere in the process, on one libSQL file: the
// write waits its turn and both land. Without the gate the write waited inside SQLite with the event
// loop blocked, so the transaction could never finish, and it failed with SQLITE_BUSY after the busy
// timeout while every request of the process stood still.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.client.execute('CREATE TABLE gate_probe (who TEXT NOT NULL)');
});
afterAll(() => db.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rows = async () =>
  (await db.client.execute('SELECT who FROM gate_probe ORDER BY rowid')).rows.map((r) => r['who']);

describe('the write gate of a local database', () => {
  it('lets a write from elsewhere wait for an open transaction, and both land', async () => {
    await db.client.execute('DELETE FROM gate_probe');
    let ticks = 0;
    const clock = setInterval(() => (ticks += 1), 5);
    const transaction = db.db.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO gate_probe (who) VALUES ('transaction, first')`);
      await sleep(100);
      await tx.run(sql`INSERT INTO gate_probe (who) VALUES ('transaction, second')`);
    });
    await sleep(20);
    const ticksBefore = ticks;
    const elsewhere = db.db.run(sql`INSERT INTO gate_probe (who) VALUES ('elsewhere')`);
    await Promise.all([transaction, elsewhere]);
    clearInterval(clock);
    expect(await rows()).toEqual(['transaction, first', 'transaction, second', 'elsewhere']);
    // The event loop went on meanwhile: timers fired while the write waited.
    expect(ticks).toBeGreaterThan(ticksBefore);
  });

  it('lets transactions take turns, and a failed one open the gate for the next', async () => {
    await db.client.execute('DELETE FROM gate_probe');
    const failing = db.db.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO gate_probe (who) VALUES ('rolled back')`);
      await sleep(30);
      throw new Error('refused');
    });
    const next = db.db.transaction(async (tx) => {
      await sleep(10);
      await tx.run(sql`INSERT INTO gate_probe (who) VALUES ('next')`);
    });
    await expect(failing).rejects.toThrow('refused');
    await next;
    await db.db.run(sql`INSERT INTO gate_probe (who) VALUES ('after')`);
    expect(await rows()).toEqual(['next', 'after']);
  });
});
