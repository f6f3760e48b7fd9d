// The CPU SQLite itself takes: libSQL runs a local file's statements synchronously, inside the native
// `all` and `run` of its prepared statements, so the time spent in those calls is SQLite's (the rest of
// a case's CPU is Concord's JavaScript). Patched once for the process; `take()` returns and resets.
import { createRequire } from 'node:module';

type Call = (this: unknown, ...args: unknown[]) => unknown;

let insideMs = 0;
let patched = false;

export function watchSqliteTime(): { take(): number } {
  if (!patched) {
    patched = true;
    // The same module instance @libsql/client uses: its statements are the ones timed.
    const Database = createRequire(import.meta.url)('libsql') as new (path: string) => {
      prepare(sql: string): object;
      close(): void;
    };
    const probe = new Database(':memory:');
    const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'all' | 'run', Call>;
    probe.close();
    for (const name of ['all', 'run'] as const) {
      const original = proto[name];
      proto[name] = function (this: unknown, ...args: unknown[]) {
        const started = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          insideMs += performance.now() - started;
        }
      };
    }
  }
  return {
    take() {
      const seconds = insideMs / 1000;
      insideMs = 0;
      return Math.round(seconds * 100) / 100;
    },
  };
}
