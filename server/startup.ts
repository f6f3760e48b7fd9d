// Server start: a bad environment or a failed migration stops the process with a clear message
// instead of serving pages that fail one by one; then the embedded runner starts (embedded mode).
import { getDatabase } from './db/client';
import { migrateDatabase } from './db/migrate';
import { EnvError, databaseUrl, env, runnerMode } from './env';
import { embeddedRunnerFor } from './runner/dispatch';
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
    const database = getDatabase();
    await migrateDatabase(database);
    console.log(`Concord: database ready (${databaseUrl(e).split('?')[0]})`);
    if (runnerMode(e) === 'embedded') {
      // Resumes runs a previous process left unfinished, then executes queued runs and schedules.
      embeddedRunnerFor(database.db);
      console.log('Concord: embedded runner started');
    } else {
      console.log('Concord: syncs run on Inngest (functions served at /api/inngest)');
    }
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : `Concord cannot start: ${String(error)}`);
    process.exit(1);
  }
}
