// `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL (or the embedded file database).
import { getDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { databaseUrl } from '../env';

const database = getDatabase();
await migrateDatabase(database);
console.log(`Migrations applied to ${databaseUrl().replace(/\/\/[^@/]*@/, '//')}`);
database.client.close();
