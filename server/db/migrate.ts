// Applies the committed migrations in drizzle/ (at start, by `npm run db:migrate`, and in tests).
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Database } from './client';

export const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'drizzle');

export async function migrateDatabase({ db, client }: Database, folder = MIGRATIONS_FOLDER): Promise<void> {
  // WAL lets readers (the UI) proceed while a sync writes; it is a property of the file, set once.
  if (client.protocol === 'file') await client.execute('PRAGMA journal_mode=WAL');
  try {
    await migrate(db, { migrationsFolder: folder });
  } catch (error) {
    // Instances of the scaled mode started together each find the same migrations missing and apply
    // them in one transaction: the one that comes second fails on what the first made ("table …
    // already exists"), and its transaction is rolled back whole. It finds them applied, and starts.
    if (!(await holdsEvery(client, folder))) throw error;
  }
}

/** Whether the database records the last migration of the folder as applied. */
async function holdsEvery(client: Database['client'], folder: string): Promise<boolean> {
  const last = readMigrationFiles({ migrationsFolder: folder }).at(-1);
  if (!last) return true;
  const { rows } = await client
    .execute({
      sql: 'SELECT 1 FROM __drizzle_migrations WHERE created_at = ? AND hash = ?',
      args: [last.folderMillis, last.hash],
    })
    .catch(() => ({ rows: [] }));
  return rows.length > 0;
}
