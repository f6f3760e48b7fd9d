// How a synchronisation reads its source, checked as it is saved: the source (one of the organisation's),
// its settings (`sourceConfig`: only those this kind of source reads), an SQL source's table or query, and
// the engine's settings — id field, conditions, hash fields, the mapping and those of nested objects —
// each problem a sentence at its field. Secrets stay out of these settings as out of a source's
// (config/source-secrets.ts): a secret-looking header or query parameter of its own is refused (it belongs
// in the source's secrets); one an earlier version saved is one of its own secrets (config/sync-secrets.ts),
// kept when its masked placeholder comes back for the same source.
import type { Db, Tx } from '../db/client';
import type { synchronisations } from '../db/schema';
import { onlyRead, settingsNotRead, sourceKindOf } from '../sync/config/applicable';
import { csvIdField } from '../sync/config/csv-id';
import { sqlSourceConfig } from '../sync/config/source-config';
import { readStored, storedMapping } from '../sync/config/stored';
import { syncSourceConfigSchema, type SyncSourceConfig } from '../sync/config/sync-config';
import { settleSyncSettings, withSecretValues } from '../sync/config/sync-secrets';
import { addressSecretRefusal, secretParamsInAddress } from '../sync/config/source-secrets';
import { prepareSettings } from '../sync/core/settings';
import { parseSqlRead } from '../sync/sources/sql-dialects';
import { UserError } from './errors';
import { fieldLabel, InvalidInput, parseInput, type FieldIssue } from './field-issues';
import { loadMapping } from './mappings';
import { loadSource } from './sources';

export interface SourceConfigInput {
  sourceId: string;
  sourceEndpoint?: string | undefined;
  sourceConfig?: unknown;
  mappingId?: string | null | undefined;
}

/** The synchronisation being edited: where and how it read until now, and its own secrets. */
export interface SavedSourceConfig {
  readonly row: Pick<typeof synchronisations.$inferSelect, 'sourceId' | 'sourceConfig'>;
  readonly secrets: Record<string, string>;
}

/** The form field of an engine settings problem (`hashFields[1]` → `sourceConfig.hashFields.1`). */
function settingsField(key: string): string {
  if (key.startsWith('mapping.') || key === 'mapping') return 'mappingId';
  const path = key.replace(/\[(\d+)\]/g, '.$1').replace(/\.mapping(\..*)?$/, '.mappingId');
  return `sourceConfig.${path}`;
}

const SETTINGS_LABELS: Record<string, string> = {
  mappingId: 'The mapping',
  'sourceConfig.sourceIdField': 'The id field',
  'sourceConfig.conditions': 'The conditions',
};

/** An engine settings problem as a sentence at its field. */
function settingsIssue(problem: { key: string; message: string }): FieldIssue {
  const field = settingsField(problem.key);
  const label =
    SETTINGS_LABELS[field] ??
    (field.includes('.subObjects.')
      ? `Nested objects ${Number(field.split('.')[2]) + 1}, ${fieldLabel(field.split('.')).toLowerCase()}`
      : field.includes('.hashFields.')
        ? `Hash field ${Number(field.split('.')[2]) + 1}`
        : fieldLabel(field.split('.')));
  // A mapping's problem names its key in the mapping (`mapping.name`), the top-level one's as a nested one's.
  const inMapping = /^(?:subObjects\[\d+\]\.)?mapping\.(.+)$/.exec(problem.key)?.[1];
  const detail = inMapping ? `${inMapping}: ${problem.message}` : problem.message;
  const text = `${label}: ${detail.charAt(0).toLowerCase()}${detail.slice(1)}`;
  return { field, message: /[.?!]$/.test(text) ? text : `${text}.` };
}

/** An SQL source reads a table or a SELECT query (the endpoint), paged on a plain column. */
function checkSqlRead(config: unknown, endpoint: string, sourceConfig: SyncSourceConfig) {
  const dialect = readStored(sqlSourceConfig, config, 'SQL source settings').data?.dialect ?? 'postgres';
  const read = parseSqlRead(dialect, endpoint);
  if (!read.ok) throw new UserError('BAD_REQUEST', read.reason, 'sourceEndpoint');
  if (!sourceConfig.sql?.keyColumn && sourceConfig.sourceIdField.includes('.')) {
    throw new UserError(
      'BAD_REQUEST',
      'The id field is a path, not a column: name the key column to page on.',
      'sourceConfig.sql.keyColumn',
    );
  }
}

/**
 * Checks how the source is read. Returns the source and its kind, the settings as parsed (what the later
 * checks of a save look at), the settings to store (`stored`) and the synchronisation's own secrets.
 * `current`: the saved row when editing, with its own secrets.
 */
export async function checkSourceConfig(
  db: Db | Tx,
  orgId: string,
  input: SourceConfigInput,
  current: SavedSourceConfig | null,
) {
  const source = await loadSource(db, orgId, input.sourceId);
  const sourceConfig = parseInput(syncSourceConfigSchema, input.sourceConfig ?? {}, 'sourceConfig');
  // A CSV source's id column (chosen in its file's preview) is the id field, whatever the form sent.
  sourceConfig.sourceIdField = csvIdField(source) ?? sourceConfig.sourceIdField;
  // A pasted list repeats itself easily; each id counts once. None is not written down (every object).
  const { selectedIds, ...rest } = sourceConfig;
  const selected = [...new Set(selectedIds)];
  // A setting this source would ignore is refused, not saved to do nothing.
  const kind = sourceKindOf(source);
  const notRead = settingsNotRead(kind, input.sourceConfig);
  if (notRead.length > 0) throw new InvalidInput(notRead);
  // No secret in its own headers and query parameters: the source's secrets go with its requests. A
  // masked value sent back keeps the one saved before (in its own secrets), while it reads the same source.
  const sourceChanged = current !== null && current.row.sourceId !== input.sourceId;
  const settled = settleSyncSettings(
    { headers: rest.headers, query: rest.query },
    current && withSecretValues(current.row.sourceConfig, current.secrets),
    sourceChanged,
  );
  // Nor in the endpoint's own query: it would be saved and answered in plain text as well.
  if (source.type === 'rest')
    for (const name of secretParamsInAddress(input.sourceEndpoint))
      settled.issues.push({
        field: 'sourceEndpoint',
        message: addressSecretRefusal(name, 'synchronisation'),
      });
  if (settled.issues.length > 0) throw new InvalidInput(settled.issues);
  rest.headers = settled.config.headers;
  rest.query = settled.config.query;
  if (source.type === 'sql') checkSqlRead(source.config, input.sourceEndpoint ?? '', sourceConfig);
  const mapping = input.mappingId ? await loadMapping(db, orgId, input.mappingId) : null;
  // Each sub-object mapping must be one of this organisation's.
  const subObjects = await Promise.all(
    sourceConfig.subObjects.map(async (sub) => {
      const subMapping = sub.mappingId ? await loadMapping(db, orgId, sub.mappingId) : null;
      return {
        path: sub.path,
        idField: sub.idField,
        mapping: subMapping ? storedMapping(subMapping.config, subMapping.id) : null,
      };
    }),
  );
  const prepared = prepareSettings({
    sourceIdField: sourceConfig.sourceIdField,
    conditions: sourceConfig.conditions,
    hashFields: sourceConfig.hashFields,
    mapping: mapping ? storedMapping(mapping.config, mapping.id) : null,
    subObjects,
  });
  if (!prepared.ok) throw new InvalidInput(prepared.problems.map(settingsIssue));
  const stored = onlyRead(kind, selected.length > 0 ? { ...rest, selectedIds: selected } : rest);
  return { source, kind, sourceConfig, stored: stored as Record<string, unknown>, secrets: settled.secrets };
}
