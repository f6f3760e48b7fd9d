// The libSQL client and drizzle instance: a local file (embedded) or a libSQL server / Turso (scaled).
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { databaseUrl, env } from '../env';
import * as schema from './schema';
import { cacheStatements } from './statement-cache';
import { checkpointingClient } from './wal-checkpoint';
import { gatedClient } from './write-gate';

// The client is part of the type: the sync engine's per-page statements go to it directly.
export type Db = LibSQLDatabase<typeof schema> & { $client: Client };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  client: Client;
}

/**
 * Opens a database. For a `file:` URL the folder is created first (libSQL will not), and the database is
 * kept private to Concord's user: the folder 0700 when we create it, the file and its -wal/-shm 0600.
 */
export function openDatabase(url: string, authToken?: string): Database {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length).split('?')[0] ?? '';
    if (file && file !== ':memory:') prepareDatabaseFile(path.resolve(/*turbopackIgnore: true*/ file));
  }
  if (url.startsWith('file:')) cacheStatements();
  // A busy timeout lets concurrent writers (web requests, the runner) wait instead of failing.
  const raw = createClient({ url, authToken, timeout: 10_000 });
  // A local file needs its transactions and other statements to take turns (write-gate.ts); a server
  // handles concurrent connections itself. A local file's WAL is also checkpointed less often
  // (wal-checkpoint.ts).
  const client = url.startsWith('file:') ? gatedClient(checkpointingClient(raw), url) : raw;
  const db = drizzle(client, { schema });
  keys.set(db, url);
  return { db, client };
}

// SQLite creates the -wal and -shm files with the database file's mode, so the file is created (or
// tightened, for a database an earlier version created 0644) before libSQL opens it.
function prepareDatabaseFile(file: string) {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (error) {
      // Not there yet, or not ours to change (a file an operator placed): SQLite still opens it.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw error;
    }
  }
}

const keys = new WeakMap<Db, string>();

/**
 * Which database a Db instance talks to. Next bundles route handlers and instrumentation separately,
 * so one process can hold several Db instances of the same database; process-wide singletons (the
 * embedded runner) are keyed by this instead of by instance.
 */
export function databaseKey(db: Db): string {
  const key = keys.get(db);
  if (!key) throw new Error('databaseKey: this Db was not opened with openDatabase');
  return key;
}

let shared: Database | undefined;

/** The process-wide database, opened lazily so that `next build` does not touch it. */
export function getDatabase(): Database {
  if (!shared) {
    const e = env();
    shared = openDatabase(databaseUrl(e), e.DATABASE_AUTH_TOKEN);
  }
  return shared;
}

export function getDb(): Db {
  return getDatabase().db;
}
