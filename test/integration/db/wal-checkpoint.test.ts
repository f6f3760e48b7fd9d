// A local database checkpoints its WAL every WAL_CHECKPOINT_PAGES pages, not SQLite's 1,000, on every
// connection libSQL's pool opens: a page that many commits touch (a random-id source's index leaves)
// then goes to the database file once per checkpoint instead of once per 1,000 pages.
import { statSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointingClient, WAL_CHECKPOINT_PAGES } from '@/server/db/wal-checkpoint';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const SQLITE_DEFAULT = 1000;

describe("a local database's WAL checkpoints", () => {
  it('are set on a connection the pool opens for a batch, and on one a transaction takes', async () => {
    // The raw client, so that a transaction can hold the pool's first connection and the wrapped
    // client has to open another.
    const raw = createClient({ url: `file:${db.file}` });
    const client = checkpointingClient(raw);
    const interval = async (c: Pick<typeof raw, 'execute'>) =>
      Number((await c.execute('PRAGMA wal_autocheckpoint')).rows[0]?.[0]);
    try {
      const holding = await raw.transaction('read');
      expect(await interval(holding)).toBe(SQLITE_DEFAULT);
      // A second connection: its batch sets the interval before its commit; the next statement, on the
      // same connection (given back to the pool), reads it.
      const [count] = await client.batch(['SELECT count(*) AS n FROM organisations']);
      expect(count?.rows[0]?.['n']).toBe(0);
      expect(await interval(client)).toBe(WAL_CHECKPOINT_PAGES);
      // The first connection, given back untouched, is set by the next transaction that takes it.
      holding.close();
      const tx = await client.transaction('write');
      try {
        expect(await interval(tx)).toBe(WAL_CHECKPOINT_PAGES);
      } finally {
        tx.close();
      }
      expect(await interval(raw)).toBe(WAL_CHECKPOINT_PAGES);
    } finally {
      raw.close();
    }
  });

  it("let Concord's own client's WAL grow past SQLite's 1,000 pages before it is checkpointed", async () => {
    await db.client.execute('CREATE TABLE wal_probe (body TEXT NOT NULL)');
    const pageSize = Number((await db.client.execute('PRAGMA page_size')).rows[0]?.[0]);
    // Three times SQLite's interval in commits of about 50 pages each, through the path the engine
    // writes by (batches and transactions of the gated client).
    const body = 'x'.repeat(pageSize - 200);
    for (let i = 0; i < 60; i += 1) {
      const rows = Array.from({ length: 50 }, () => ({
        sql: 'INSERT INTO wal_probe (body) VALUES (?)',
        args: [body],
      }));
      if (i % 2 === 0) await db.client.batch(rows, 'write');
      else {
        const tx = await db.client.transaction('write');
        for (const row of rows) await tx.execute(row);
        await tx.commit();
      }
    }
    // A checkpoint at 1,000 pages would start the WAL over from its beginning: it would stay near
    // 1,000 pages long. Uncheckpointed, it holds every page written.
    const walPages = statSync(`${db.file}-wal`).size / pageSize;
    expect(walPages).toBeGreaterThan(2.5 * SQLITE_DEFAULT);
    expect(walPages).toBeLessThan(WAL_CHECKPOINT_PAGES);
  });
});
