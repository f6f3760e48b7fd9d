import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema, read, and committed; they are never pushed.
export default defineConfig({
  dialect: 'turso',
  schema: './server/db/schema/index.ts',
  out: './drizzle',
  dbCredentials: {
    url: process.env.DATABASE_URL ?? 'file:./data/concord.db',
    authToken: process.env.DATABASE_AUTH_TOKEN,
  },
});
