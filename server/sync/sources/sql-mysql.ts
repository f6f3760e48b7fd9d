// MySQL and MariaDB through `mysql2`: one connection per run, its socket opened to the checked address.
// Dates and times come back as the server's text (the session is in UTC), BIGINT and DECIMAL as text,
// JSON columns parsed, binary columns as Buffers. Statements are prepared (execute), values bound.
import { connect as netConnect } from 'node:net';
import mysql, { type FieldPacket, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import type { DriverOptions, SqlConnection } from './sql-connect';
import { beginReadOnly } from './sql-dialects';
import type { SqlColumn } from './sql-values';

// mysql2's column types (constants/types.js): TIMESTAMP is an instant, DATETIME a zone-less time.
const TIMESTAMP = new Set([7, 17]);
const DATETIME = new Set([12, 18]);
// BIT(n): bytes from the driver, its width in bits the column's length.
const BIT = 16;

function column(field: FieldPacket): SqlColumn {
  const type = field.columnType ?? field.type ?? -1;
  if (TIMESTAMP.has(type)) return { name: field.name, temporal: 'utc' };
  if (DATETIME.has(type)) return { name: field.name, temporal: 'local' };
  if (type === BIT) return { name: field.name, bits: field.columnLength ?? 64 };
  return { name: field.name };
}

export async function connectMysql(o: DriverOptions): Promise<SqlConnection> {
  const connection = await mysql.createConnection({
    // The name stays the host for TLS (SNI, certificate); the socket goes to the checked address.
    host: o.host,
    port: o.port,
    stream: () => netConnect({ host: o.address, port: o.port }),
    database: o.database,
    user: o.user,
    password: o.password ?? '',
    ssl: o.ssl ? { rejectUnauthorized: true, verifyIdentity: true } : undefined,
    connectTimeout: o.connectTimeoutMs,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: false,
    charset: 'utf8mb4',
  });
  let lost: Error | null = null;
  // Without a listener a dropped connection would be an uncaught error; the next read reports it.
  connection.on('error', (error: Error) => {
    lost = error;
  });
  const timeout = o.statementTimeoutMs + 5_000;
  // The session set-up is bounded like every statement: a server that signs in and then stalls fails.
  const setUp = (sql: string, values: unknown[] = []) =>
    connection.query<RowDataPacket[]>({ sql, values, timeout });
  try {
    await setUp("SET SESSION time_zone = '+00:00'");
    const [versionRows] = await setUp('SELECT VERSION() AS version');
    const serverVersion = String(versionRows[0]?.['version'] ?? 'unknown');
    // MariaDB limits every statement (seconds); MySQL limits SELECTs (milliseconds).
    if (/mariadb/i.test(serverVersion))
      await setUp('SET SESSION max_statement_time = ?', [o.statementTimeoutMs / 1000]);
    else await setUp('SET SESSION max_execution_time = ?', [o.statementTimeoutMs]);
    return {
      dialect: 'mysql',
      serverVersion,
      async read(statement, params) {
        if (lost) throw lost;
        await connection.query({ sql: beginReadOnly('mysql'), timeout });
        try {
          const [rows, fields] = await connection.execute<RowDataPacket[]>({
            sql: statement,
            values: [...params],
            timeout,
          });
          return { rows, columns: fields.map(column) };
        } finally {
          await connection.query('ROLLBACK').catch(() => undefined);
        }
      },
      async execute(statement, params) {
        if (lost) throw lost;
        // Statements with values are prepared; BEGIN, SAVEPOINT and the like cannot be, and need none.
        const [result, fields] =
          params.length > 0
            ? await connection.execute<RowDataPacket[] | ResultSetHeader>({
                sql: statement,
                values: [...params],
                timeout,
              })
            : await connection.query<RowDataPacket[] | ResultSetHeader>({ sql: statement, timeout });
        return Array.isArray(result)
          ? { rows: result, affected: 0, ...(fields ? { columns: fields.map(column) } : {}) }
          : { rows: [], affected: result.affectedRows, insertId: result.insertId };
      },
      close: () => connection.end().catch(() => connection.destroy()),
    };
  } catch (error) {
    connection.destroy();
    throw error;
  }
}
