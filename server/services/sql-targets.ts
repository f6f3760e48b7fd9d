// SQL sources as targets: the save-time check of a synchronisation's SQL target settings, and the
// table made from a register schema — its CREATE TABLE shown first (preview), run only when asked, and
// never over an existing table.
import type { Db } from '../db/client';
import type { sources } from '../db/schema';
import { sqlSourceConfig, type SqlSourceConfig } from '../sync/config/source-config';
import { readStored } from '../sync/config/stored';
import { sqlTargetConfigSchema, type SqlTargetConfig } from '../sync/config/sync-config';
import type { ResolveHost, UrlPolicy } from '../sync/http/guard';
import { parseSqlRead } from '../sync/sources/sql-dialects';
import { describeSqlError } from '../sync/sources/sql-errors';
import { tableDdl, type TableDdl } from '../sync/targets/sql-ddl';
import { readTable } from '../sync/targets/sql-table';
import { UserError } from './errors';
import { parseInput } from './field-issues';
import { loadSchema } from './registers';
import { loadSource, readSecrets } from './sources';
import { openSqlConnection } from './sql-open';

type SourceRow = typeof sources.$inferSelect;

function sqlConfigOf(source: SourceRow): SqlSourceConfig {
  const parsed = readStored(sqlSourceConfig, source.config, `source ${source.id} settings`);
  if (!parsed.success)
    throw new UserError(
      'BAD_REQUEST',
      `The source "${source.name}" is not configured correctly: open it and save its settings again.`,
    );
  return parsed.data;
}

/** The table name as its parts, or a sentence at `field`. */
function tableParts(dialect: SqlSourceConfig['dialect'], table: string, field: string): readonly string[] {
  const read = parseSqlRead(dialect, table);
  if (!read.ok) throw new UserError('BAD_REQUEST', read.reason, field);
  if (read.read.kind !== 'table')
    throw new UserError('BAD_REQUEST', 'Name a table to write to: a query cannot be written to.', field);
  return read.read.parts;
}

/**
 * A synchronisation's SQL target settings, checked as they are saved. `field`: where they are in the
 * input (`targetConfig`, or a two-way synchronisation's `writeBack`).
 */
export function checkSqlTarget(
  source: SourceRow,
  input: unknown,
  deletion: { writeMode: string; deleteMode: string },
  field = 'targetConfig',
): SqlTargetConfig {
  const config = parseInput(sqlTargetConfigSchema, input ?? {}, field);
  tableParts(sqlConfigOf(source).dialect, config.table, `${field}.table`);
  const columns = config.columns;
  // One key column left out of the columns may be one the database fills (identity, serial,
  // AUTO_INCREMENT): the run checks that against the table (sql-table.ts keyProblem).
  const missing = columns ? config.keyColumns.filter((key) => !(key in columns)) : [];
  if (missing.length > 0 && config.keyColumns.length > 1) {
    throw new UserError(
      'BAD_REQUEST',
      `The key column ${missing.map((m) => `"${m}"`).join(', ')} must be one of the columns written.`,
      `${field}.columns`,
    );
  }
  if (deletion.writeMode !== 'mirror' && deletion.deleteMode === 'soft' && !config.softDelete) {
    throw new UserError(
      'BAD_REQUEST',
      'Soft deletion needs the column that marks a row deleted: name it, or choose another deletion policy.',
      `${field}.softDelete.column`,
    );
  }
  return config;
}

export interface SqlTableInput {
  /** The SQL source to create the table in. */
  sourceId: string;
  /** The register schema whose properties become the columns. */
  schemaId: string;
  table: string;
  keyColumns: readonly string[];
}

async function planTable(db: Db, orgId: string, input: SqlTableInput) {
  const source = await loadSource(db, orgId, input.sourceId);
  if (source.type !== 'sql') throw new UserError('BAD_REQUEST', 'Choose an SQL source.', 'targetSourceId');
  const config = sqlConfigOf(source);
  const parts = tableParts(config.dialect, input.table, 'targetConfig.table');
  const keys = input.keyColumns.map((k) => k.trim()).filter(Boolean);
  if (keys.length === 0)
    throw new UserError('BAD_REQUEST', 'Name the key column.', 'targetConfig.keyColumns');
  const schema = await loadSchema(db, orgId, input.schemaId);
  return { source, config, parts, ddl: tableDdl(config.dialect, parts, schema.jsonSchema, keys) };
}

/** The CREATE TABLE statement, without connecting anywhere. */
export async function previewSqlTable(db: Db, orgId: string, input: SqlTableInput): Promise<TableDdl> {
  return (await planTable(db, orgId, input)).ddl;
}

/** Runs the preview's statement, unless the table exists already (then nothing happens and it says so). */
export async function createSqlTable(
  db: Db,
  orgId: string,
  input: SqlTableInput,
  options: { urlPolicy: UrlPolicy; resolve?: ResolveHost },
): Promise<TableDdl & { database: string }> {
  const { source, config, parts, ddl } = await planTable(db, orgId, input);
  const opened = await openSqlConnection(config, readSecrets(source)['password'], options);
  if (!opened.ok) throw new UserError('BAD_REQUEST', opened.reason);
  const { connection, redactor, url: database } = opened;
  const name = parts.join('.');
  try {
    if (await readTable(connection, parts)) {
      throw new UserError(
        'CONFLICT',
        `The table ${name} already exists in ${database}: nothing was changed. Write to it as it is, or choose another name.`,
        'targetConfig.table',
      );
    }
    await connection.execute(ddl.statement, []);
    return { ...ddl, database };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      'BAD_REQUEST',
      redactor.text(`The table ${name} was not created: ${describeSqlError(error)}`),
    );
  } finally {
    await connection.close();
  }
}
