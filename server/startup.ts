// Server start: a bad environment or a failed migration stops the process with a clear message
// instead of serving pages that fail one by one; secrets an earlier version kept in plain text are
// encrypted (they need the process key, which SQL migrations do not have); then the embedded runner
// starts (embedded mode).
import { getDatabase } from './db/client';
import { migrateDatabase } from './db/migrate';
import { EnvError, databaseUrl, env, runnerMode } from './env';
import { moveLegacySecrets } from './services/legacy-secrets';
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
    const moved = await moveLegacySecrets(database.db);
    if (moved.organisations > 0)
      console.log(
        `Concord: secrets kept in plain settings encrypted (${moved.sources} sources, ${moved.synchronisations} synchronisations)`,
      );
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
