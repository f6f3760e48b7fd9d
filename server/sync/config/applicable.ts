// Which synchronisation settings each kind of source reads. The form shows only those, the summary
// lists only those, and the API refuses a setting the source would ignore (a page cap for an uploaded
// file, a results position for a CSV file) instead of saving something that silently does nothing.
import type { SOURCE_CONFIG_SCHEMAS } from './source-config';
import type { SyncSourceConfigInput } from './sync-config';

export type SourceType = keyof typeof SOURCE_CONFIG_SCHEMAS;
export type FileFormat = 'csv' | 'json' | 'xml';
export type SyncSetting = keyof SyncSourceConfigInput;

/** A source as far as its settings go: its type and, for a file source, the file's format. */
export interface SourceKind {
  readonly type: SourceType;
  readonly format?: FileFormat | null;
}

const EVERY_SOURCE: readonly SyncSetting[] = ['sourceIdField', 'conditions', 'hashFields', 'subObjects'];

/** Why a setting does nothing for this kind of source; null when the source reads it. */
export function notReadBecause(kind: SourceKind, setting: SyncSetting): string | null {
  if (EVERY_SOURCE.includes(setting)) return null;
  const { type } = kind;
  switch (setting) {
    case 'resultsPosition':
      if (type === 'rest' || (type === 'file' && kind.format !== 'csv')) return null;
      if (type === 'file') return 'Results position does not apply to a CSV file: every row is an object.';
      return `Results position does not apply to ${describe(kind)}: it lists objects, not documents.`;
    case 'maxPages':
      if (type === 'rest' || type === 'sql') return null;
      return type === 'file'
        ? 'Max pages does not apply to a file source: the whole file is read.'
        : 'Max pages does not apply to a register source: every object of the schema is read.';
    case 'pagination':
    case 'query':
    case 'headers':
      return type === 'rest'
        ? null
        : `${LABELS[setting]} apply only to REST sources, not to ${describe(kind)}.`;
    case 'sql':
      return type === 'sql' ? null : `The key column and page size apply only to SQL sources.`;
    case 'objectEndpoint':
      return type === 'rest'
        ? null
        : `The path of one object applies only to REST sources (an SQL source fetches selected ids by its id column).`;
    case 'incremental':
      return type === 'rest' || type === 'sql'
        ? null
        : `Incremental reading applies only to REST and SQL sources, not to ${describe(kind)}: it is read whole.`;
    default:
      return null;
  }
}

const LABELS: Record<string, string> = {
  pagination: 'Pagination settings',
  query: 'Query parameters',
  headers: 'Headers',
};

function describe(kind: SourceKind): string {
  switch (kind.type) {
    case 'file':
      return 'a file source';
    case 'register':
      return 'a register source';
    case 'sql':
      return 'an SQL source';
    case 'rest':
      return 'a REST source';
  }
}

export const readsSetting = (kind: SourceKind, setting: SyncSetting) =>
  notReadBecause(kind, setting) === null;

/** A value that says nothing: what a form sends for a field it does not show. */
export function isUnset(setting: SyncSetting, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    // Detected pagination without a page parameter is the default, whatever the source.
    return (
      keys.length === 0 ||
      (setting === 'pagination' && keys.length === 1 && (value as { kind?: unknown }).kind === 'auto')
    );
  }
  return false;
}

/** The kind of a saved source (its type, and a file source's format). */
export function sourceKindOf(source: { type: SourceType; config: unknown }): SourceKind {
  const format = (source.config as { format?: unknown } | null)?.format;
  return {
    type: source.type,
    format: format === 'csv' || format === 'json' || format === 'xml' ? format : null,
  };
}

/** The settings a source reads, of a parsed configuration: what is saved. */
export function onlyRead<T extends Record<string, unknown>>(kind: SourceKind, config: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(config).filter(([key]) => readsSetting(kind, key as SyncSetting)),
  ) as Partial<T>;
}

/** Each setting given with a value that this kind of source would ignore, as a problem at its field. */
export function settingsNotRead(kind: SourceKind, input: unknown): { field: string; message: string }[] {
  if (typeof input !== 'object' || input === null) return [];
  return Object.entries(input).flatMap(([key, value]) => {
    const why = notReadBecause(kind, key as SyncSetting);
    return why && !isUnset(key as SyncSetting, value) ? [{ field: `sourceConfig.${key}`, message: why }] : [];
  });
}

/**
 * Why a synchronisation cannot be two-way, as problems at their fields; none when it can. Two-way keeps a
 * source the engine can write back to (REST or SQL) in step with a register schema. The form shows the
 * Direction choice only when there are none.
 */
export function twoWayNotPossible(
  kind: SourceKind,
  targetType: 'register' | 'source',
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (kind.type !== 'rest' && kind.type !== 'sql') {
    problems.push({
      field: 'sourceId',
      message: `A two-way synchronisation writes back to its source, which must be a REST or SQL source, not ${describe(kind)}.`,
    });
  }
  if (targetType !== 'register') {
    problems.push({
      field: 'targetType',
      message:
        'A two-way synchronisation keeps its source in step with a register schema: choose a register schema as the target.',
    });
  }
  return problems;
}

export const twoWayPossible = (kind: SourceKind, targetType: 'register' | 'source') =>
  twoWayNotPossible(kind, targetType).length === 0;
