// "Test connection" for an SQL source: connect through the address policy with the saved settings and
// password, run SELECT 1 in a read-only transaction, and — given a table or query — read its first row
// as a synchronisation would (keyset statement, same JSON values), to show the columns and a sample.
import type { Db } from '../db/client';
import { sqlSourceConfig, type SqlSourceConfig } from '../sync/config/source-config';
import { readStored } from '../sync/config/stored';
import type { ResolveHost, UrlPolicy } from '../sync/http/guard';
import { Redactor } from '../sync/http/redact';
import { describeDatabase, pageStatement, parseSqlRead } from '../sync/sources/sql-dialects';
import { describeSqlError } from '../sync/sources/sql-errors';
import { rowToObject } from '../sync/sources/sql-values';
import { UserError } from './errors';
import { loadSource, readSecrets } from './sources';
import { openSqlConnection } from './sql-open';

export interface SqlConnectionTestInput {
  /** A table name or a SELECT query, as a synchronisation's endpoint. */
  endpoint?: string;
  /** The key column; left out: `id`. */
  keyColumn?: string;
}

export type SqlConnectionTest =
  | {
      ok: true;
      timeMs: number;
      /** `postgres://host:port/database`, no credentials. */
      url: string;
      serverVersion: string;
      /** The first row of the table or query, when one was given. */
      sample: { keyColumn: string; columns: string[]; row: Record<string, unknown> | null } | null;
    }
  | { ok: false; reason: string; timeMs: number };

/** The organisation's source, which must be an SQL source. */
export async function testSqlConnectionOf(
  db: Db,
  orgId: string,
  sourceId: string,
  input: SqlConnectionTestInput,
  options: { urlPolicy: UrlPolicy; resolve?: ResolveHost },
): Promise<SqlConnectionTest> {
  const row = await loadSource(db, orgId, sourceId);
  if (row.type !== 'sql') throw new UserError('BAD_REQUEST', 'This is not an SQL source.');
  const parsed = readStored(sqlSourceConfig, row.config, `source ${row.id} settings`);
  if (!parsed.success)
    return {
      ok: false,
      reason: 'The saved settings of this source are not valid: open its settings, correct them and save.',
      timeMs: 0,
    };
  return testSqlConnection(parsed.data, readSecrets(row)['password'], input, options);
}

/** Connects with these settings and password, saved or not yet saved. */
export async function testSqlConnection(
  config: SqlSourceConfig,
  password: string | undefined,
  input: SqlConnectionTestInput,
  options: { urlPolicy: UrlPolicy; resolve?: ResolveHost },
): Promise<SqlConnectionTest> {
  const redactor = new Redactor();
  redactor.add(password);
  const url = describeDatabase(config);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (reason: string): SqlConnectionTest => ({
    ok: false,
    reason: redactor.text(reason),
    timeMs: elapsed(),
  });

  const endpoint = input.endpoint?.trim() ?? '';
  const read = endpoint ? parseSqlRead(config.dialect, endpoint) : null;
  if (read && !read.ok) return failed(`The table or query is not usable: ${read.reason}`);

  const opened = await openSqlConnection(config, password, options);
  if (!opened.ok) return failed(opened.reason);
  const { connection } = opened;
  try {
    try {
      await connection.read('SELECT 1', []);
    } catch (error) {
      return failed(`Connected to ${url}, but SELECT 1 failed: ${describeSqlError(error)}.`);
    }
    let sample: Extract<SqlConnectionTest, { ok: true }>['sample'] = null;
    if (read?.ok) {
      const keyColumn = input.keyColumn?.trim() || 'id';
      const statement = pageStatement(config.dialect, read.read, keyColumn, { after: false, limit: 1 });
      try {
        const result = await connection.read(statement, []);
        const first = result.rows[0];
        sample = {
          keyColumn,
          columns: result.columns.map((c) => c.name),
          row: first ? rowToObject(first, result.columns) : null,
        };
      } catch (error) {
        return failed(
          `Connected to ${url}, but reading the table or query failed: ${describeSqlError(error)}.`,
        );
      }
    }
    return {
      ok: true,
      timeMs: elapsed(),
      url,
      serverVersion: connection.serverVersion,
      sample,
    };
  } finally {
    await connection.close();
  }
}
