// Prepared statements kept per connection of a local libSQL file, instead of compiled anew each time.
//
// libSQL's client prepares every statement it executes on a local file (`db.prepare(sql)` inside each
// `execute`), and SQLite compiling a statement costs about as much as running a small one: 12 µs for a
// one-row insert, 80 µs for a sync page's memo check. The engine runs the same few statements on every
// page, so each page paid that again and again (issue 14). SQLite's prepared statements are made to be
// run again — libSQL resets one before each run and rebinds its parameters — and one prepared before a
// schema change recompiles itself on its next run (sqlite3_prepare_v2).
//
// Not a statement with a `*` column list: the client names a result's columns by asking the
// statement before running it, and a kept `SELECT *` compiled before a column was added still names the
// old columns then, while its run (recompiled) returns the new ones — a row would lose a column.
//
// The client only ever runs a statement to its end (`all` or `run`) before it prepares the next, so a
// kept statement never holds a read transaction open between uses. A connection keeps at most CACHED
// statements (each holds its compiled program, a few kilobytes), the least recently used dropped first.
import Database from 'libsql';

const CACHED = 200;
// A star that lists columns: `SELECT *`, `SELECT DISTINCT *`, `t.*`, `a, *`, `RETURNING *` — not
// `count(*)` or a multiplication.
const STAR = /(?:\b(?:SELECT|DISTINCT|ALL|RETURNING)|[,.])\s*\*/i;

interface Connection {
  prepare: (this: Connection, sql: string) => unknown;
  close: (this: Connection) => unknown;
}

const holder = globalThis as { __concordStatementCache?: boolean };

/**
 * Patches libSQL's local `Database` once for the process (the module @libsql/client itself loads). Off
 * with CONCORD_STATEMENT_CACHE=0, which compiles every statement as libSQL does by itself.
 */
export function cacheStatements(): void {
  if (holder.__concordStatementCache || process.env.CONCORD_STATEMENT_CACHE === '0') return;
  holder.__concordStatementCache = true;
  // libsql is a serverExternalPackage (next.config.ts): Node loads the one instance the client uses.
  const proto = Database.prototype as unknown as Connection;
  const prepare = proto.prepare;
  const close = proto.close;
  const caches = new WeakMap<object, Map<string, unknown>>();
  proto.prepare = function (this: Connection, sql: string) {
    if (STAR.test(sql)) return prepare.call(this, sql);
    let cache = caches.get(this);
    if (!cache) caches.set(this, (cache = new Map<string, unknown>()));
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare.call(this, sql);
      if (cache.size >= CACHED) cache.delete(cache.keys().next().value!);
    } else cache.delete(sql);
    // Last used last: the Map's first key is the least recently used.
    cache.set(sql, statement);
    return statement;
  };
  proto.close = function (this: Connection) {
    caches.delete(this);
    return close.call(this);
  };
}
