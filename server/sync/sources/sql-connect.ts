// One connection to an SQL source's database, behind the same address policy as REST URLs: the host is
// resolved and every address checked before connecting, and the driver connects to the checked
// address (TLS still verifies the certificate against the configured host name). Every statement has a
// statement timeout; a source's reads run in a read-only transaction, a target's writes in its own.
import type { SqlSourceConfig } from '../config/source-config';
import { checkHost, systemResolver, type ResolveHost, type UrlPolicy } from '../http/guard';
import type { SqlDialect } from './sql-dialects';
import type { SqlColumn } from './sql-values';

export interface SqlResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly columns: readonly SqlColumn[];
}

export interface SqlExecuted {
  readonly rows: readonly Record<string, unknown>[];
  readonly affected: number;
  /** The columns of a statement that answers rows (a SELECT), as `read` gives them. */
  readonly columns?: readonly SqlColumn[];
  /** MySQL/MariaDB: the AUTO_INCREMENT value the statement's (first) new row was given, if any. */
  readonly insertId?: number;
}

export interface SqlConnection {
  readonly dialect: SqlDialect;
  /** As the server reports it, e.g. `15.4` or `10.11.6-MariaDB`. */
  readonly serverVersion: string;
  /** One statement inside a read-only transaction that is rolled back afterwards. */
  read(statement: string, params: readonly unknown[]): Promise<SqlResult>;
  /**
   * One statement as it is, values bound, in whatever transaction the caller opened (an SQL target
   * writes a batch between its own BEGIN and COMMIT). `affected`: rows inserted, updated or deleted.
   */
  execute(statement: string, params: readonly unknown[]): Promise<SqlExecuted>;
  close(): Promise<void>;
}

/** What a dialect's driver needs, the address already checked. */
export interface DriverOptions {
  /** The configured host name, for TLS (certificate and SNI). */
  readonly host: string;
  /** The checked address to connect to. */
  readonly address: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly ssl: boolean;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export interface SqlConnectOptions {
  readonly config: SqlSourceConfig;
  readonly password: string | undefined;
  readonly urlPolicy: UrlPolicy;
  /** Test seam: any DNS answer. */
  readonly resolve?: ResolveHost;
  readonly connectTimeoutMs?: number;
}

/** A connection refused before it was tried (the address policy, an unusable host); the message is for people. */
export class SqlRefusedError extends Error {
  override name = 'SqlRefusedError';
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export async function connectSql(o: SqlConnectOptions): Promise<SqlConnection> {
  const host = o.config.host.trim().replace(/^\[(.*)\]$/, '$1');
  if (host.startsWith('/') || /[\s/\\@]/.test(host))
    throw new SqlRefusedError(`"${host.slice(0, 100)}" is not a host name or IP address.`);
  const checked = await checkHost(host, o.urlPolicy, o.resolve ?? systemResolver);
  if (!checked.ok) throw new SqlRefusedError(checked.reason);
  // Prefer IPv4 when both are offered: database servers often listen on one family only.
  const address = [...checked.addresses].sort((a, b) => a.family - b.family)[0]!.address;
  const options: DriverOptions = {
    host,
    address,
    port: o.config.port,
    database: o.config.database,
    user: o.config.user,
    password: o.password,
    ssl: o.config.ssl,
    statementTimeoutMs: o.config.timeoutMs,
    // Connecting (handshake and sign-in included) is bounded too: a server that accepts and stalls
    // must not hold a run. The source's timeout applies when it is shorter.
    connectTimeoutMs: o.connectTimeoutMs ?? Math.min(DEFAULT_CONNECT_TIMEOUT_MS, o.config.timeoutMs),
  };
  // Each driver is loaded when a connection needs it: most processes never use one, and mysql2 alone
  // held 5 MiB of memory and 7 MiB of heap from the first import (issue 14: peak RSS at 1M objects).
  if (o.config.dialect === 'postgres') return (await import('./sql-postgres')).connectPostgres(options);
  return (await import('./sql-mysql')).connectMysql(options);
}
