// A fresh, migrated libSQL file per test file: real SQLite semantics, no shared state between files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, InStatement } from '@libsql/client';
import { openDatabase, type Database } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';

export interface TestDatabase extends Database {
  file: string;
  close: () => Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-test-'));
  const file = path.join(dir, 'concord.db');
  const database = openDatabase(`file:${file}`);
  await migrateDatabase(database);
  return {
    ...database,
    file,
    close: async () => {
      // A run requested through the API started this database's embedded runner: stop it first.
      await stopEmbeddedRunner(database.db);
      database.client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** From now on, the text of every statement `client.execute` is sent goes into `into`, in order. */
export function recordStatements(client: Client, into: string[]): void {
  const execute = client.execute.bind(client);
  client.execute = (statement: InStatement, ...rest: unknown[]) => {
    into.push(typeof statement === 'string' ? statement : statement.sql);
    return (execute as (...a: unknown[]) => ReturnType<typeof execute>)(statement, ...rest);
  };
}
