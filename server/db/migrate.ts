// Applies the committed migrations in drizzle/ (at start, by `npm run db:migrate`, and in tests).
import path from 'node:path';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Database } from './client';

export const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'drizzle');

export async function migrateDatabase({ db, client }: Database, folder = MIGRATIONS_FOLDER): Promise<void> {
  // WAL lets readers (the UI) proceed while a sync writes; it is a property of the file, set once.
  if (client.protocol === 'file') await client.execute('PRAGMA journal_mode=WAL');
  await migrate(db, { migrationsFolder: folder });
}
