// How a two-way synchronisation writes the register's version back to its source: with the source's own
// REST target or SQL target settings (`writeBack`), whatever is left out filled in from how the source is
// read. Pure: the save-time check, the form's placeholders and the engine's run all use it.
import { isSqlQuery } from '../sources/sql-dialects';
import { readStored } from './stored';
import {
  restTargetConfigSchema,
  sqlTargetConfigSchema,
  syncSourceConfigSchema,
  type RestTargetConfig,
  type SqlTargetConfig,
} from './sync-config';

/** The kinds of source a two-way synchronisation can write back to. */
export type WriteBackSourceType = 'rest' | 'sql';

export type ResolvedWriteBack =
  | { readonly kind: 'rest'; readonly config: RestTargetConfig }
  | { readonly kind: 'sql'; readonly config: SqlTargetConfig };

export interface RestWriteBackDefaults {
  createEndpoint: string;
  updateEndpoint: string;
  deleteEndpoint: string;
  idPath: string;
}

export interface SqlWriteBackDefaults {
  /** Null when the source reads a query: then the table must be given. */
  table: string | null;
  keyColumns: string[];
}

/** The path of a REST endpoint, without its query (`/people?_page=1` → `/people`) or a final slash. */
function endpointPath(endpoint: string): string {
  return (endpoint.trim().split(/[?#]/)[0] ?? '').replace(/\/+$/, '');
}

/**
 * What the write-back settings default to. REST: objects are created at the endpoint the source is
 * listed from, and updated and deleted at `<endpoint>/{{targetId}}` (the source's own id); the new
 * object's id is read where the listing has it. SQL: the table read (unless the source reads a query),
 * keyed on the column that identifies a row. `idField`: that column or field — an SQL source's key
 * column when it has one, otherwise the id field.
 */
export function writeBackDefaults(type: 'rest', endpoint: string, idField: string): RestWriteBackDefaults;
export function writeBackDefaults(type: 'sql', endpoint: string, idField: string): SqlWriteBackDefaults;
export function writeBackDefaults(
  type: WriteBackSourceType,
  endpoint: string,
  idField: string,
): RestWriteBackDefaults | SqlWriteBackDefaults;
export function writeBackDefaults(
  type: WriteBackSourceType,
  endpoint: string,
  idField: string,
): RestWriteBackDefaults | SqlWriteBackDefaults {
  if (type === 'sql') {
    const table = endpoint.trim();
    return { table: table === '' || isSqlQuery(table) ? null : table, keyColumns: [idField] };
  }
  const path = endpointPath(endpoint);
  return {
    createEndpoint: path || '/',
    updateEndpoint: `${path}/{{targetId}}`,
    deleteEndpoint: `${path}/{{targetId}}`,
    idPath: idField,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The given settings over the defaults: a key left out (or null) takes the default. */
export function withWriteBackDefaults(
  defaults: RestWriteBackDefaults | SqlWriteBackDefaults,
  given: unknown,
): Record<string, unknown> {
  const filled: Record<string, unknown> = Object.fromEntries(
    Object.entries(defaults).filter(([, value]) => value !== null),
  );
  if (!isRecord(given)) return filled;
  for (const [key, value] of Object.entries(given))
    if (value !== undefined && value !== null) filled[key] = value;
  return filled;
}

/** The field or column that identifies a source object, from a synchronisation's source settings. */
export function writeBackIdField(sourceConfig: { sourceIdField: string; sql?: { keyColumn?: string } }) {
  return sourceConfig.sql?.keyColumn ?? sourceConfig.sourceIdField;
}

interface StoredSync {
  readonly id?: string;
  readonly sourceEndpoint: string;
  readonly sourceConfig: unknown;
  readonly writeBack: unknown;
}

/**
 * How the engine writes back to a two-way synchronisation's source at run time: the saved settings
 * (read tolerantly: keys an older version saved are left out) with the defaults applied. Throws when
 * they cannot be read at all, which a configuration checked on save never is.
 */
export function resolveWriteBack(type: WriteBackSourceType, sync: StoredSync): ResolvedWriteBack {
  const what = `synchronisation ${sync.id ?? ''} write-back settings`.replace('  ', ' ');
  const source = readStored(syncSourceConfigSchema, sync.sourceConfig ?? {}, what);
  const idField = writeBackIdField(source.success ? source.data : { sourceIdField: 'id' });
  const given = withWriteBackDefaults(writeBackDefaults(type, sync.sourceEndpoint, idField), sync.writeBack);
  const parsed =
    type === 'sql'
      ? readStored(sqlTargetConfigSchema, given, what)
      : readStored(restTargetConfigSchema, given, what);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    throw new Error(
      `The ${what} cannot be used (${problem?.path.join('.') || 'settings'}: ${problem?.message}): open the synchronisation and save it again.`,
    );
  }
  return type === 'sql'
    ? { kind: 'sql', config: parsed.data as SqlTargetConfig }
    : { kind: 'rest', config: parsed.data as RestTargetConfig };
}
