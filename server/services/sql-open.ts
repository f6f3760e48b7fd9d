// Opening an SQL source's database for a person's action (Test connection, Discover, Create table): the
// saved settings and password, through the address policy, and the sentence saying why not. The
// redactor masks the password in every message made from the connection's errors.
import type { SqlSourceConfig } from '../sync/config/source-config';
import type { ResolveHost, UrlPolicy } from '../sync/http/guard';
import { Redactor } from '../sync/http/redact';
import { connectSql, SqlRefusedError, type SqlConnection } from '../sync/sources/sql-connect';
import { describeDatabase } from '../sync/sources/sql-dialects';
import { describeSqlError } from '../sync/sources/sql-errors';

export interface SqlOpenOptions {
  urlPolicy: UrlPolicy;
  resolve?: ResolveHost;
}

export type SqlOpened = { redactor: Redactor; url: string } & (
  { ok: true; connection: SqlConnection } | { ok: false; reason: string }
);

export async function openSqlConnection(
  config: SqlSourceConfig,
  password: string | undefined,
  options: SqlOpenOptions,
): Promise<SqlOpened> {
  const redactor = new Redactor();
  redactor.add(password);
  const url = describeDatabase(config);
  try {
    const connection = await connectSql({
      config,
      password,
      urlPolicy: options.urlPolicy,
      resolve: options.resolve,
    });
    return { ok: true, connection, redactor, url };
  } catch (error) {
    const reason =
      error instanceof SqlRefusedError
        ? `The connection was refused: ${error.message}`
        : `Could not connect to ${url}: ${describeSqlError(error)}.`;
    return { ok: false, reason: redactor.text(reason), redactor, url };
  }
}
