// The form's text turned into the API's input, with the checks that need no server: JSON that does
// not parse, numbers that are not numbers. Each problem names the field the API would name.
import type { SynchronisationInput } from '@/server/services/synchronisations';
import {
  readsSetting,
  twoWayPossible,
  type SourceKind,
  type SyncSetting,
} from '@/server/sync/config/applicable';
import { validateConditions } from '@/server/sync/core/conditions';
import type { SyncFormState } from './form-state';
import { PAGINATION_KINDS } from './pagination-kinds';
import { sqlTargetInput, SqlTargetProblem } from './sql-target-form';
import { twoWayInput } from './two-way-form';

export interface FieldProblem {
  field: string;
  message: string;
}

export type Converted = { ok: true; input: SynchronisationInput } | { ok: false; problem: FieldProblem };

class Problem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const lines = (text: string, separator = /\n/) =>
  text
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

function integer(text: string, field: string, label: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  if (!Number.isInteger(n)) throw new Problem(field, `${label} must be a whole number.`);
  return n;
}

function record(rows: { key: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));
}

/** The conditions as JSON, or why they cannot be used (undefined: no conditions). */
export function checkConditions(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}.`,
    };
  }
  const checked = validateConditions(value);
  return checked.ok ? { ok: true, value } : { ok: false, message: checked.problems.join('; ') };
}

function pagination(state: SyncFormState) {
  const out: Record<string, string | number> = { kind: state.paginationKind };
  for (const spec of PAGINATION_KINDS[state.paginationKind].fields) {
    const field = `sourceConfig.pagination.${spec.name}`;
    const text = state.pagination[spec.name]?.trim() ?? '';
    if (!text) {
      if (spec.required) throw new Problem(field, `${spec.label} is required for this pagination.`);
      continue;
    }
    out[spec.name] = spec.number ? integer(text, field, spec.label)! : text;
  }
  return out;
}

/** SQL reading options, only when one is set (other sources leave both empty). */
function sqlRead(state: SyncFormState) {
  const keyColumn = state.sqlKeyColumn.trim();
  const pageSize = integer(state.sqlPageSize, 'sourceConfig.sql.pageSize', 'Page size');
  if (!keyColumn && pageSize === undefined) return undefined;
  return { ...(keyColumn ? { keyColumn } : {}), ...(pageSize === undefined ? {} : { pageSize }) };
}

/** Incremental reading when switched on; the query only for a REST source (SQL compares the column). */
function incremental(state: SyncFormState, kind: SourceKind) {
  if (!state.incremental) return undefined;
  const field = 'sourceConfig.incremental';
  const lookbackSeconds = integer(state.incrementalLookback, `${field}.lookbackSeconds`, 'Lookback');
  const reconcileEveryRuns = integer(state.reconcileEveryRuns, `${field}.reconcileEveryRuns`, 'Every … runs');
  const query = state.incrementalQuery.trim();
  const cron = state.reconcileCron.trim();
  return {
    field: state.incrementalField.trim(),
    ...(kind.type === 'rest' ? { query } : {}),
    ...(lookbackSeconds === undefined ? {} : { lookbackSeconds }),
    ...(reconcileEveryRuns === undefined ? {} : { reconcileEveryRuns }),
    ...(cron ? { reconcileCron: cron } : {}),
  };
}

/** Whether the form configures a two-way synchronisation: chosen, and possible with this source and target. */
export const isTwoWay = (state: SyncFormState, kind: SourceKind) =>
  state.direction === 'two-way' && twoWayPossible(kind, state.targetType);

/** Only the settings the chosen source reads: the API refuses the others (see applicable.ts). */
function sourceConfig(state: SyncFormState, kind: SourceKind, conditions: unknown) {
  // Two-way reads whole listings: the form does not offer incremental reading then.
  const reads = (setting: SyncSetting) =>
    readsSetting(kind, setting) && !(setting === 'incremental' && isTwoWay(state, kind));
  // Empty: left out, so the default cap applies (and a later default with it).
  const maxPages = reads('maxPages')
    ? integer(state.maxPages, 'sourceConfig.maxPages', 'Max pages')
    : undefined;
  return {
    ...(reads('resultsPosition') ? { resultsPosition: state.resultsPosition.trim() || null } : {}),
    sourceIdField: state.sourceIdField.trim() || 'id',
    ...(reads('pagination') ? { pagination: pagination(state) } : {}),
    ...(maxPages === undefined ? {} : { maxPages }),
    ...(reads('query') ? { query: record(state.query) } : {}),
    ...(reads('headers') ? { headers: record(state.headers) } : {}),
    conditions,
    hashFields: lines(state.hashFields, /[\n,]/),
    subObjects: state.subObjects
      .filter((s) => s.path.trim())
      .map((s) => ({
        path: s.path.trim(),
        idField: s.idField.trim() || 'id',
        mappingId: s.mappingId || null,
      })),
    ...(reads('sql') ? { sql: sqlRead(state) } : {}),
    selectedIds: lines(state.selectedIds),
    ...(reads('objectEndpoint') && state.objectEndpoint.trim()
      ? { objectEndpoint: state.objectEndpoint.trim() }
      : {}),

    ...(reads('incremental') ? { incremental: incremental(state, kind) } : {}),
  };
}

/** The time a one-time synchronisation runs at, typed in the browser's time zone. */
function runOnceAt(state: SyncFormState): Date | null {
  const text = state.runOnceAt.trim();
  if (!state.oneTime || text === '') return null;
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new Problem('runOnceAt', 'The time to run at is not a date and time.');
  return at;
}

/** A REST target's settings; the soft delete body is JSON text in the form. */
function targetConfig(state: SyncFormState) {
  const {
    softDeleteEndpoint,
    softDeleteMethod,
    softDeleteBody,
    idInRequestBody,
    errorPath,
    sendChangedFields,
    batchCreateEndpoint,
    batchCreateMethod,
    batchUpdateEndpoint,
    batchUpdateMethod,
    batchItemsKey,
    batchResultsPath,
    batchErrorPath,
    batchSize,
    ...requests
  } = state.target;
  const field = 'targetConfig.softDelete.body';
  let body: unknown;
  try {
    body = JSON.parse(softDeleteBody.trim() || '{}');
  } catch (error) {
    throw new Problem(field, `The soft delete body is not valid JSON: ${(error as Error).message}.`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Problem(field, 'The soft delete body must be a JSON object, such as {"deleted": true}.');
  }
  return {
    ...requests,
    idInRequestBody: idInRequestBody.trim() || undefined,
    errorPath: errorPath.trim() || undefined,
    softDelete: { endpoint: softDeleteEndpoint.trim() || undefined, method: softDeleteMethod, body },
    // Left out rather than false or empty: a saved configuration stays as it was (see sync-config.ts).
    sendChangedFields: sendChangedFields || undefined,
    batch:
      batchCreateEndpoint.trim() || batchUpdateEndpoint.trim()
        ? {
            createEndpoint: batchCreateEndpoint.trim() || undefined,
            createMethod: batchCreateMethod,
            updateEndpoint: batchUpdateEndpoint.trim() || undefined,
            updateMethod: batchUpdateMethod,
            itemsKey: batchItemsKey.trim() || undefined,
            resultsPath: batchResultsPath.trim() || undefined,
            errorPath: batchErrorPath.trim() || undefined,
            size: batchSize.trim() ? Number(batchSize) : undefined,
          }
        : undefined,
  };
}

function convert(state: SyncFormState, kind: SourceKind, sqlTarget: boolean): SynchronisationInput {
  const conditions = checkConditions(state.conditions);
  if (!conditions.ok) throw new Problem('sourceConfig.conditions', conditions.message);
  const threshold = Number(state.deleteThreshold.trim() || '50');
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
    throw new Problem('deleteThreshold', 'The threshold is a percentage from 0 to 100.');
  }
  const register = state.targetType === 'register';
  const restrict = lines(state.restrictDeletion);
  const twoWay = isTwoWay(state, kind);
  const writeMode = twoWay ? 'upsert' : state.writeMode;
  return {
    name: state.name,
    description: state.description,
    enabled: state.enabled,
    sourceId: state.sourceId,
    sourceEndpoint: state.sourceEndpoint.trim(),
    sourceConfig: sourceConfig(state, kind, conditions.value),
    mappingId: state.mappingId || null,
    targetType: state.targetType,
    targetRegisterId: register ? state.targetRegisterId || null : null,
    targetSchemaId: register ? state.targetSchemaId || null : null,
    targetSourceId: register ? null : state.targetSourceId || null,
    targetMappingId: register ? null : state.targetMappingId || null,
    targetConfig: register ? undefined : sqlTarget ? sqlTargetInput(state.sqlTarget) : targetConfig(state),
    writeMode,
    deleteMode: writeMode === 'mirror' ? 'hard' : state.deleteMode,
    deleteThreshold: threshold / 100,
    restrictDeletion: restrict.length ? restrict : null,
    scheduleCron: state.scheduleCron.trim() || null,
    scheduleTimezone: state.scheduleTimezone.trim() || 'UTC',
    successRetentionDays: integer(state.successRetentionDays, 'successRetentionDays', 'Success retention'),
    errorRetentionDays: integer(state.errorRetentionDays, 'errorRetentionDays', 'Error retention'),
    oneTime: state.oneTime,
    runOnceAt: runOnceAt(state),
    followUpIds: state.followUpIds,
    ...twoWayInput(
      twoWay ? 'two-way' : 'one-way',
      kind.type === 'sql',
      state.twoWay,
      state.writeBack,
      state.writeBackMappingId,
      state.deleteMode === 'soft',
    ),
  };
}

/**
 * `kind`: the chosen source's (see applicable.ts); a REST source until one is chosen. `sqlTarget`: the
 * target source is an SQL source.
 */
export function toInput(
  state: SyncFormState,
  kind: SourceKind = { type: 'rest' },
  sqlTarget = false,
): Converted {
  try {
    return { ok: true, input: convert(state, kind, sqlTarget) };
  } catch (error) {
    if (error instanceof Problem || error instanceof SqlTargetProblem)
      return { ok: false, problem: { field: error.field, message: error.message } };
    throw error;
  }
}
