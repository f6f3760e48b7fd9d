// The CPU SQLite itself takes: libSQL runs a local file's statements synchronously, inside the native
// `all` and `run` of its prepared statements, so the time spent in those calls is SQLite's (the rest of
// a case's CPU is Concord's JavaScript). Patched once for the process; `take()` returns and resets.
//
// Also by statement (its first words: "INSERT INTO contracts (…", "COMMIT"), which shows where SQLite's
// time goes — a commit's share is the pages it writes to the WAL and checkpoints into the file — and the
// bytes the process wrote meanwhile (/proc/self/io), what the disk feels.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Call = (this: unknown, ...args: unknown[]) => unknown;

export interface SqliteTime {
  seconds: number;
  /** The statements that took the most time, slowest first: [its first words, seconds]. */
  statements: [string, number][];
  /** Bytes the process handed to write(2) during the case (null where /proc is not there), in MB. */
  writtenMB: number | null;
  /**
   * Rows SQLite inserted, updated or deleted during the case, those its triggers wrote included (the
   * contract counts, the change feed's counter, versions' copied data): the sum of `total_changes()` over
   * every connection the process had open, read again as each closes (libSQL's client hands a
   * transaction its connection and opens another, so connections come and go within a case).
   */
  rowsChanged: number;
}

const LABEL_LENGTH = 48;
const STATEMENTS_KEPT = 6;

let insideMs = 0;
let patched = false;
// Connections seen preparing a statement, and the changes of those closed since.
const connections = new Set<object>();
let closedChanges = 0;
let changesOf: (connection: object) => number = () => 0;
const allChanges = () => {
  let sum = closedChanges;
  for (const connection of connections) sum += changesOf(connection);
  return sum;
};
const byLabel = new Map<string, number>();
const labels = new WeakMap<object, string>();

function writtenBytes(): number | null {
  try {
    const line = /^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return line ? Number(line[1]) : null;
  } catch {
    return null;
  }
}

export function watchSqliteTime(): { take(): SqliteTime } {
  if (!patched) {
    patched = true;
    // The same module instance @libsql/client uses: its statements are the ones timed.
    const Database = createRequire(import.meta.url)('libsql') as new (path: string) => {
      prepare(sql: string): object;
      close(): void;
    };
    const probe = new Database(':memory:');
    const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'all' | 'run', Call>;
    const connection = Object.getPrototypeOf(probe) as { prepare: Call; close: Call };
    probe.close();
    const prepare = connection.prepare;
    const close = connection.close;
    // Read through the unpatched prepare: not timed, not a connection of its own.
    changesOf = (db) => {
      const statement = prepare.call(db, 'SELECT total_changes() AS n') as { get(): { n: number } };
      return Number(statement.get().n);
    };
    connection.close = function (this: unknown, ...args: unknown[]) {
      if (connections.delete(this as object)) closedChanges += changesOf(this as object);
      return close.apply(this, args);
    };
    connection.prepare = function (this: unknown, ...args: unknown[]) {
      connections.add(this as object);
      const statement = prepare.apply(this, args) as object;
      labels.set(statement, String(args[0]).replace(/\s+/g, ' ').trim().slice(0, LABEL_LENGTH));
      return statement;
    };
    for (const name of ['all', 'run'] as const) {
      const original = proto[name];
      proto[name] = function (this: unknown, ...args: unknown[]) {
        const started = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          const ms = performance.now() - started;
          insideMs += ms;
          const label = labels.get(this as object) ?? '?';
          byLabel.set(label, (byLabel.get(label) ?? 0) + ms);
        }
      };
    }
  }
  let written = writtenBytes();
  let changed = allChanges();
  return {
    take() {
      const seconds = insideMs / 1000;
      const statements = [...byLabel]
        .sort((a, b) => b[1] - a[1])
        .slice(0, STATEMENTS_KEPT)
        .map(([label, ms]): [string, number] => [label, Math.round(ms / 10) / 100]);
      const now = writtenBytes();
      const writtenMB = now === null || written === null ? null : Math.round((now - written) / 1e6);
      const changedNow = allChanges();
      const rowsChanged = changedNow - changed;
      insideMs = 0;
      byLabel.clear();
      written = now;
      changed = changedNow;
      return { seconds: Math.round(seconds * 100) / 100, statements, writtenMB, rowsChanged };
    },
  };
}
