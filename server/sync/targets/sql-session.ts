// An SQL target's connection for one run: opened on the first batch through the SQL source's address
// policy, the table's columns and keys read and checked once, then one transaction per batch. A
// deadlock or serialization failure retries the batch once and then answers its objects as transient
// failures; anything else that breaks the connection or the table throws for the whole batch.
import { ExplainedStop } from '../stop';
import type { SqlSourceConfig } from '../config/source-config';
import type { ResolveHost, UrlPolicy } from '../http/guard';
import type { Redactor } from '../http/redact';
import { connectSql, SqlRefusedError, type SqlConnection } from '../sources/sql-connect';
import { keyProblem, readTable, type TableInfo } from './sql-table';
import { classifyWriteError, describeWriteError } from './sql-write-errors';

export interface Session {
  readonly db: SqlConnection;
  readonly info: TableInfo;
}

/** Thrown for the whole batch: the run ends in error with this message. */
export class SqlTargetError extends ExplainedStop {
  override name = 'SqlTargetError';
}

export interface SqlSessionOptions {
  source: SqlSourceConfig;
  secrets: Record<string, string>;
  urlPolicy: UrlPolicy;
  resolve?: ResolveHost;
  /** The table's parts (`crm`, `people`) and its key columns. */
  parts: readonly string[];
  target: { keyColumns: readonly string[]; columns?: Readonly<Record<string, string>> };
  /** Opens every message: `SQL target "Shop" (postgres://…, table people)`. */
  label: string;
  redactor: Redactor;
}

export type TransactionOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

const ATTEMPTS = 2;

/**
 * MySQL/MariaDB store a value their column cannot hold altered — cut to the column's length, clipped to
 * its range, a date as 0000-00-00 — with only a warning, where the server runs without strict mode, and
 * always in a table without transactions (MyISAM, Aria: STRICT_TRANS_TABLES spares it), and the run would
 * count the object written. In strict mode for every table the value is refused, with the database's
 * words, as PostgreSQL refuses it.
 */
const STRICT_MYSQL_SESSION = "SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES')";

export function createSqlSession(o: SqlSessionOptions) {
  const tableName = o.parts.join('.');
  let session: Promise<Session> | null = null;

  // `fixFirst`: the table, the key or the connection settings must change before a run can succeed.
  const fail = (message: string, fixFirst = false) =>
    new SqlTargetError(o.redactor.text(`${o.label}: ${message}`), fixFirst);

  async function open(): Promise<Session> {
    let db: SqlConnection;
    try {
      db = await connectSql({
        config: o.source,
        password: o.secrets['password'],
        urlPolicy: o.urlPolicy,
        resolve: o.resolve,
      });
    } catch (error) {
      if (error instanceof SqlRefusedError) throw fail(`the connection was refused: ${error.message}`, true);
      throw fail(describeWriteError(error));
    }
    try {
      if (db.dialect === 'mysql') await db.execute(STRICT_MYSQL_SESSION, []);
      const info = await readTable(db, o.parts);
      if (!info)
        throw fail(
          `the table ${tableName} does not exist (or the user cannot see it); create it first`,
          true,
        );
      const problem = keyProblem(info, o.target.keyColumns, tableName, o.target.columns);
      if (problem) throw fail(problem, true);
      return { db, info };
    } catch (error) {
      await db.close();
      throw error instanceof SqlTargetError ? error : fail(describeWriteError(error));
    }
  }

  function connect(): Promise<Session> {
    if (!session) {
      const opening = open();
      // A failed connection is not kept: the next batch (a retried step) tries again.
      opening.catch(() => {
        if (session === opening) session = null;
      });
      session = opening;
    }
    return session;
  }

  // A broken connection is not used again: the next batch connects afresh.
  async function discard(): Promise<void> {
    const current = session;
    session = null;
    await current?.then((s) => s.db.close()).catch(() => undefined);
  }

  /** `fn` inside one transaction; retried once for a deadlock or serialization failure. */
  async function transaction<T>(fn: (s: Session) => Promise<T>): Promise<TransactionOutcome<T>> {
    for (let attempt = 1; ; attempt++) {
      const s = await connect();
      try {
        await s.db.execute(o.source.dialect === 'postgres' ? 'BEGIN' : 'START TRANSACTION', []);
        const value = await fn(s);
        await s.db.execute('COMMIT', []);
        return { ok: true, value };
      } catch (error) {
        await s.db.execute('ROLLBACK', []).catch(() => undefined);
        if (error instanceof SqlTargetError) throw error;
        if (classifyWriteError(error) !== 'transient') {
          await discard();
          throw fail(describeWriteError(error));
        }
        if (attempt >= ATTEMPTS) return { ok: false, reason: o.redactor.text(describeWriteError(error)) };
      }
    }
  }

  return { connect, transaction, discard, fail };
}
