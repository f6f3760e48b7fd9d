// One open transaction at a time per database file, and no other statement while it is open.
//
// libSQL runs a local file's statements synchronously, on a connection of its own pool. While an async
// `db.transaction(async (tx) => …)` holds the write lock across an `await`, any other write of the
// process (another connection of the pool) waits for that lock inside SQLite — with the event loop
// blocked, so the transaction holding the lock can never go on. The other write fails after the busy
// timeout (10 s) with SQLITE_BUSY, and the whole process stood still meanwhile. This gate makes those
// statements wait asynchronously instead, until the transaction has committed or rolled back.
import type { Client, Transaction } from '@libsql/client';

/** A statement waits at most this long for a transaction; then it goes ahead (SQLite's own wait). */
const MAX_WAIT_MS = 30_000;

/** Transactions in turn; statements wait while one is open or waiting. */
class Gate {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : bounded(this.tail);
  }

  /** Waits for its turn and holds the gate; the returned function opens it again (once). */
  async hold(): Promise<() => void> {
    const previous = this.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tail = previous.then(() => mine);
    this.pending += 1;
    await bounded(previous);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pending -= 1;
      release();
    };
  }
}

// A transaction that never settles (a bug elsewhere) must not stop the process for good.
function bounded(p: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, MAX_WAIT_MS).unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// Next bundles route handlers and instrumentation separately: one gate per database for the process.
const holder = globalThis as { __concordWriteGates?: Map<string, Gate> };
const gates = (holder.__concordWriteGates ??= new Map<string, Gate>());

/** The client with its statements and transactions taking turns through the gate of `key`. */
export function gatedClient(client: Client, key: string): Client {
  let gate = gates.get(key);
  if (!gate) gates.set(key, (gate = new Gate()));
  const g = gate;
  const waiting =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await g.idle();
      return fn(...args);
    };
  return new Proxy(client, {
    get(target, property, receiver) {
      switch (property) {
        case 'execute':
        case 'batch':
        case 'executeMultiple':
        case 'migrate':
          return waiting((target[property] as (...a: unknown[]) => Promise<unknown>).bind(target));
        case 'transaction':
          return async (...args: Parameters<Client['transaction']>) => {
            const open = await g.hold();
            try {
              return settling(await target.transaction(...args), open);
            } catch (error) {
              open();
              throw error;
            }
          };
        default: {
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
      }
    },
  });
}

/** The transaction, opening the gate once it commits, rolls back or is closed. */
function settling(tx: Transaction, open: () => void): Transaction {
  return new Proxy(tx, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (property === 'commit' || property === 'rollback')
        return async (...args: unknown[]) => {
          try {
            return await (fn(...args) as Promise<unknown>);
          } finally {
            open();
          }
        };
      if (property === 'close')
        return (...args: unknown[]) => {
          try {
            return fn(...args);
          } finally {
            open();
          }
        };
      return fn;
    },
  });
}
