// Server start: a bad environment or a failed migration stops the process with a clear message
// instead of serving pages that fail one by one.
import { getDatabase } from './db/client';
import { migrateDatabase } from './db/migrate';
import { EnvError, databaseUrl, env } from './env';
import { getAuthSecret, getEncryptionKey } from './security/keys';

const started = Symbol.for('concord.started');
type GlobalWithFlag = typeof globalThis & { [started]?: Promise<void> };

export function startServer(): Promise<void> {
  // Guarded on globalThis: development reloads modules, and this must happen once per process.
  const g = globalThis as GlobalWithFlag;
  g[started] ??= boot();
  return g[started];
}

async function boot(): Promise<void> {
  try {
    const e = env();
    getEncryptionKey();
    getAuthSecret();
    await migrateDatabase(getDatabase());
    console.log(`Concord: database ready (${databaseUrl(e).split('?')[0]})`);
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : `Concord cannot start: ${String(error)}`);
    process.exit(1);
  }
}
