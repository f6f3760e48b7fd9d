// The data folder holds the database and the keys: a fresh one is private to Concord's user (folder
// 0700, files 0600), whatever the umask, and a database an earlier version left world-readable is
// tightened when it is opened.
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { users } from '@/server/db/schema';

const root = mkdtempSync(path.join(tmpdir(), 'concord-modes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('a fresh data folder', () => {
  it('creates the folder 0700 and the database with its -wal and -shm 0600', async () => {
    const folder = path.join(root, 'fresh', 'data');
    const file = path.join(folder, 'concord.db');
    const database = openDatabase(`file:${file}`);
    await migrateDatabase(database);
    await database.db.insert(users).values({ email: 'mode@example.test', name: 'Mode' });
    expect(mode(folder)).toBe('700');
    expect(mode(path.join(root, 'fresh'))).toBe('700');
    const files = readdirSync(folder).sort();
    expect(files).toEqual(['concord.db', 'concord.db-shm', 'concord.db-wal']);
    for (const name of files) expect([name, mode(path.join(folder, name))]).toEqual([name, '600']);
    database.client.close();
  });

  it('writes the generated keys 0600 into a 0700 folder', async () => {
    const folder = path.join(root, 'keys', 'data');
    vi.stubEnv('CONCORD_DATA_DIR', folder);
    vi.resetModules();
    const keys = await import('@/server/security/keys');
    keys.getEncryptionKey();
    keys.getAuthSecret();
    vi.unstubAllEnvs();
    expect(mode(folder)).toBe('700');
    expect(readdirSync(folder).sort()).toEqual(['auth.secret', 'secret.key']);
    for (const name of ['auth.secret', 'secret.key']) expect(mode(path.join(folder, name))).toBe('600');
  });
});

describe('a database an earlier version created', () => {
  it('is tightened to 0600 when opened', async () => {
    const folder = path.join(root, 'old');
    const file = path.join(folder, 'concord.db');
    const first = openDatabase(`file:${file}`);
    await migrateDatabase(first);
    first.client.close();
    for (const name of readdirSync(folder)) chmodSync(path.join(folder, name), 0o644);
    writeFileSync(`${file}-wal`, '', { flag: 'a' });
    chmodSync(`${file}-wal`, 0o644);

    const again = openDatabase(`file:${file}`);
    await again.db.select().from(users);
    for (const name of readdirSync(folder))
      expect([name, mode(path.join(folder, name))]).toEqual([name, '600']);
    again.client.close();
  });
});
