// The statements libSQL's client prepares on a local file are kept per connection and run again
// (server/db/statement-cache.ts): the same answers as statements compiled anew, whatever ran between —
// another parameter, a failed run, a schema change, a transaction on another connection.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database as Opened } from '@/server/db/client';
import { cacheStatements } from '@/server/db/statement-cache';

let dir: string;
let opened: Opened;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'concord-statements-'));
  opened = openDatabase(`file:${path.join(dir, 'cache.db')}`);
});
afterAll(() => {
  opened.client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a connection of a local file', () => {
  it('hands out the statement it compiled before for the same text, and a new one for other text', () => {
    cacheStatements();
    const db = new Database(path.join(dir, 'direct.db'));
    try {
      const first = db.prepare('SELECT 1');
      expect(db.prepare('SELECT 1')).toBe(first);
      expect(db.prepare('SELECT 2')).not.toBe(first);
      expect(db.prepare('SELECT count(*) FROM sqlite_master')).toBe(
        db.prepare('SELECT count(*) FROM sqlite_master'),
      );
      expect(db.prepare('SELECT 2 * 3')).toBe(db.prepare('SELECT 2 * 3'));
      // A star's columns are the table's as compiled: compiled each time.
      for (const star of [
        'SELECT * FROM sqlite_master',
        'SELECT m.* FROM sqlite_master AS m',
        'SELECT name, * FROM sqlite_master',
        'select distinct * from sqlite_master',
      ])
        expect(db.prepare(star)).not.toBe(db.prepare(star));
      // Another connection compiles its own.
      const other = new Database(path.join(dir, 'direct.db'));
      expect(other.prepare('SELECT 1')).not.toBe(first);
      other.close();
    } finally {
      db.close();
    }
  });

  it('keeps at most 200 statements, the least recently used dropped first', () => {
    cacheStatements();
    const db = new Database(':memory:');
    try {
      const kept = db.prepare('SELECT 0');
      const dropped = db.prepare('SELECT -1');
      for (let i = 1; i < 199; i++) db.prepare(`SELECT ${i}`);
      expect(db.prepare('SELECT 0')).toBe(kept); // used again: now the most recent
      db.prepare('SELECT 199'); // one more than room: the least recently used goes
      expect(db.prepare('SELECT 0')).toBe(kept);
      expect(db.prepare('SELECT -1')).not.toBe(dropped);
    } finally {
      db.close();
    }
  });
});

describe('the client on a cached connection', () => {
  const run = (sql: string, args: (string | number)[] = []) => opened.client.execute({ sql, args });

  it('answers each run of a statement with its own parameters', async () => {
    await run('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    for (const [id, name] of [
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ] as const)
      await run('INSERT INTO items (id, name) VALUES (?, ?)', [id, name]);
    const names = async (from: number) =>
      (await run('SELECT name FROM items WHERE id >= ? ORDER BY id', [from])).rows.map((r) => r.name);
    expect(await names(1)).toEqual(['one', 'two', 'three']);
    expect(await names(3)).toEqual(['three']);
    expect(await names(2)).toEqual(['two', 'three']);
  });

  it('runs a statement again after a run of it failed', async () => {
    const insert = 'INSERT INTO items (id, name) VALUES (?, ?)';
    await expect(run(insert, [1, 'again'])).rejects.toThrow(/UNIQUE|constraint/i);
    await run(insert, [4, 'four']);
    expect((await run('SELECT count(*) AS n FROM items')).rows[0]?.n).toBe(4);
  });

  it('sees a schema change made after the statement was compiled', async () => {
    const named = 'SELECT id, name FROM items WHERE id = ?';
    const all = 'SELECT * FROM items WHERE id = ?';
    expect(Object.keys((await run(all, [1])).rows[0] ?? {})).toEqual(['id', 'name']);
    expect((await run(named, [1])).rows[0]?.name).toBe('one');
    await run("ALTER TABLE items ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'");
    expect((await run(all, [1])).rows[0]?.colour).toBe('red');
    expect((await run(named, [2])).rows[0]?.name).toBe('two');
    await run('ALTER TABLE items RENAME COLUMN name TO label');
    await expect(run(named, [1])).rejects.toThrow(/no such column: name/);
    await run('ALTER TABLE items RENAME COLUMN label TO name');
    expect((await run(named, [1])).rows[0]?.name).toBe('one');
  });

  it('sees what a transaction on another connection committed, and nothing it rolled back', async () => {
    const count = async () => Number((await run('SELECT count(*) AS n FROM items')).rows[0]?.n);
    expect(await count()).toBe(4);
    const kept = await opened.client.transaction('write');
    await kept.execute({ sql: 'INSERT INTO items (id, name) VALUES (?, ?)', args: [5, 'five'] });
    await kept.commit();
    kept.close();
    expect(await count()).toBe(5);
    const dropped = await opened.client.transaction('write');
    await dropped.execute({ sql: 'INSERT INTO items (id, name) VALUES (?, ?)', args: [6, 'six'] });
    await dropped.rollback();
    dropped.close();
    expect(await count()).toBe(5);
  });
});
