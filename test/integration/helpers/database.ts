// A fresh, migrated libSQL file per test file: real SQLite semantics, no shared state between files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';

export interface TestDatabase extends Database {
  file: string;
  close: () => void;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-test-'));
  const file = path.join(dir, 'concord.db');
  const database = openDatabase(`file:${file}`);
  await migrateDatabase(database);
  return {
    ...database,
    file,
    close: () => {
      database.client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
