// PostgreSQL through `pg`: one client per run. Dates and times come back as PostgreSQL's own text in
// UTC (no Date objects, which lose microseconds and shift zone-less times by the process's zone);
// int8 and numeric stay text, json and jsonb are parsed, bytea is a Buffer.
import pg from 'pg';
import type { DriverOptions, SqlConnection } from './sql-connect';
import { beginReadOnly } from './sql-dialects';
import type { SqlColumn } from './sql-values';

const DATE = 1082;
const TIME = 1083;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const INTERVAL = 1186;
const TIMETZ = 1266;
const RAW_TEXT = new Set([DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, TIMETZ]);
// date[], timestamp[], timestamptz[], interval[]: parsed as text[] (1009), so their elements stay text too.
const RAW_TEXT_ARRAYS = new Set([1182, 1115, 1185, 1187]);
const TEXT_ARRAY = 1009;

type Parser = (value: string) => unknown;
const builtin = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => Parser;
const keepText: Parser = (value) => value;

const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (format !== 'binary') {
    if (RAW_TEXT.has(oid)) return keepText;
    if (RAW_TEXT_ARRAYS.has(oid)) return builtin(TEXT_ARRAY, 'text');
  }
  return builtin(oid, format);
}) as typeof pg.types.getTypeParser;

function column(field: pg.FieldDef): SqlColumn {
  if (field.dataTypeID === TIMESTAMP) return { name: field.name, temporal: 'local' };
  if (field.dataTypeID === TIMESTAMPTZ) return { name: field.name, temporal: 'utc' };
  return { name: field.name };
}

export async function connectPostgres(o: DriverOptions): Promise<SqlConnection> {
  const client = new pg.Client({
    host: o.address,
    port: o.port,
    database: o.database,
    user: o.user,
    password: o.password ?? '',
    // The certificate is checked against the configured name, not the address connected to.
    ssl: o.ssl
      ? { rejectUnauthorized: true, ...(o.host === o.address ? {} : { servername: o.host }) }
      : false,
    connectionTimeoutMillis: o.connectTimeoutMs,
    statement_timeout: o.statementTimeoutMs,
    // A backstop for a server that stops answering altogether.
    query_timeout: o.statementTimeoutMs + 5_000,
    application_name: 'concord',
    types: { getTypeParser },
  });
  let lost: Error | null = null;
  // A connection that drops between pages: remembered, so the next read fails with it.
  client.on('error', (error) => {
    lost = error;
  });
  try {
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    const serverVersion = version.rows[0]?.server_version ?? 'unknown';
    return {
      dialect: 'postgres',
      serverVersion,
      async read(statement, params) {
        if (lost) throw lost;
        await client.query(beginReadOnly('postgres'));
        try {
          const result = await client.query<Record<string, unknown>>({
            text: statement,
            values: [...params],
          });
          return { rows: result.rows, columns: result.fields.map(column) };
        } finally {
          // Nothing was written; an aborted transaction or a lost connection makes this fail, harmlessly.
          await client.query('ROLLBACK').catch(() => undefined);
        }
      },
      async execute(statement, params) {
        if (lost) throw lost;
        const result = await client.query<Record<string, unknown>>({ text: statement, values: [...params] });
        return {
          rows: result.rows ?? [],
          affected: result.rowCount ?? 0,
          ...(result.fields?.length ? { columns: result.fields.map(column) } : {}),
        };
      },
      close: () => client.end().catch(() => undefined),
    };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}
