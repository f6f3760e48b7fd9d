// What the synchronisation form edits: every field as the text a person types, read from a saved
// synchronisation (through the engine's own schemas, so defaults are the engine's) and back.
import type { SourceKind } from '@/server/sync/config/applicable';
import type { DeletionPolicy } from '@/server/sync/core/deletions';
import type { WriteMode } from '@/server/sync/core/write-mode';
import { readStored } from '@/server/sync/config/stored';
import {
  restTargetConfigSchema,
  syncSourceConfigSchema,
  type RestTargetConfig,
} from '@/server/sync/config/sync-config';
import type { SyncDirection } from '@/server/db/schema/synchronisations';
import type { PaginationKind } from './pagination-kinds';
import { EMPTY_SQL_TARGET, sqlTargetFields, type SqlTargetFields } from './sql-target-form';
import type { SyncRow } from './types';
import {
  EMPTY_TWO_WAY,
  EMPTY_WRITE_BACK,
  twoWayFormFields,
  type TwoWayFields,
  type WriteBackFields,
} from './two-way-form';

export interface KeyValue {
  key: string;
  value: string;
}

export interface SubObjectRow {
  path: string;
  idField: string;
  mappingId: string;
}

export interface TargetFields {
  createEndpoint: string;
  createMethod: 'POST' | 'PUT';
  updateEndpoint: string;
  updateMethod: 'PUT' | 'PATCH' | 'POST';
  deleteEndpoint: string;
  idPath: string;
  idInRequestBody: string;
  /** Where a 2xx answer to one write holds the target's error (sync-config.ts errorPath). */
  errorPath: string;
  /** Soft deletion in a REST target: the request, and its body as JSON text. */
  softDeleteEndpoint: string;
  softDeleteMethod: 'PATCH' | 'PUT' | 'POST';
  softDeleteBody: string;
  /** Updates as a PATCH of the changed fields only (a JSON merge patch). */
  sendChangedFields: boolean;
  /** A batch endpoint (rest-batch-endpoint.ts): both endpoints empty means none. */
  batchCreateEndpoint: string;
  batchCreateMethod: 'POST' | 'PUT';
  batchUpdateEndpoint: string;
  batchUpdateMethod: 'POST' | 'PUT' | 'PATCH';
  batchItemsKey: string;
  batchResultsPath: string;
  batchErrorPath: string;
  batchSize: string;
}

export interface SyncFormState {
  name: string;
  description: string;
  enabled: boolean;
  sourceId: string;
  sourceEndpoint: string;
  resultsPosition: string;
  sourceIdField: string;
  paginationKind: PaginationKind;
  /** The chosen style's fields, as typed (see pagination-kinds.ts). */
  pagination: Record<string, string>;
  /** Empty: the default cap (DEFAULT_MAX_PAGES), which then follows later defaults. */
  maxPages: string;
  /** SQL sources: the column pages are keyed on (empty: the id field), and rows per page (empty: 1,000). */
  sqlKeyColumn: string;
  sqlPageSize: string;
  /** Incremental reading (REST and SQL sources), its numbers as typed. */
  incremental: boolean;
  incrementalField: string;
  incrementalQuery: string;
  incrementalLookback: string;
  reconcileEveryRuns: string;
  reconcileCron: string;
  query: KeyValue[];
  headers: KeyValue[];
  /** JSON Logic as JSON text; empty means every object. */
  conditions: string;
  /** One dot path per line. */
  hashFields: string;
  subObjects: SubObjectRow[];
  mappingId: string;
  targetType: 'register' | 'source';
  targetRegisterId: string;
  targetSchemaId: string;
  targetSourceId: string;
  targetMappingId: string;
  target: TargetFields;
  /** When the target source is an SQL source (see sql-target-form.ts). */
  sqlTarget: SqlTargetFields;
  writeMode: WriteMode;
  deleteMode: DeletionPolicy;
  /** Per cent, 0–100. */
  deleteThreshold: string;
  /** One origin id per line; empty means any id may be deleted. */
  restrictDeletion: string;
  scheduleCron: string;
  scheduleTimezone: string;
  successRetentionDays: string;
  errorRetentionDays: string;
  /** Synchronisations that run after this one, in the order chosen. */
  followUpIds: string[];
  /** Runs once (when started, or at runOnceAt) and then disables itself. */
  oneTime: boolean;
  /** A `datetime-local` value in the browser's time zone; empty: when started. */
  runOnceAt: string;
  /** One origin id per line; empty: every object. */
  selectedIds: string;
  /** REST sources: the path of one object, `/items/{{id}}`, to fetch selected ids one by one. */
  objectEndpoint: string;
  /** Two-way (a REST or SQL source ⇄ a register schema): its policies and how it writes back. */
  direction: SyncDirection;
  twoWay: TwoWayFields;
  writeBack: WriteBackFields;
  writeBackMappingId: string;
}

/** A moment as a `datetime-local` value in the browser's time zone. */
export function localDateTime(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A saved REST target configuration as the form's text. */
function targetFields(config: RestTargetConfig): TargetFields {
  const { softDelete, idInRequestBody, errorPath, sendChangedFields, batch, ...rest } = config;
  return {
    ...rest,
    idInRequestBody: idInRequestBody ?? '',
    errorPath: errorPath ?? '',
    softDeleteEndpoint: softDelete.endpoint ?? '',
    softDeleteMethod: softDelete.method,
    softDeleteBody: JSON.stringify(softDelete.body),
    sendChangedFields: sendChangedFields === true,
    batchCreateEndpoint: batch?.createEndpoint ?? '',
    batchCreateMethod: batch?.createMethod ?? 'POST',
    batchUpdateEndpoint: batch?.updateEndpoint ?? '',
    batchUpdateMethod: batch?.updateMethod ?? 'POST',
    batchItemsKey: batch?.itemsKey ?? '',
    batchResultsPath: batch?.resultsPath ?? '',
    batchErrorPath: batch?.errorPath ?? '',
    batchSize: batch ? String(batch.size) : '',
  };
}

const defaultTarget = restTargetConfigSchema.parse({});

export const EMPTY_FORM: SyncFormState = {
  name: '',
  description: '',
  enabled: true,
  sourceId: '',
  sourceEndpoint: '',
  resultsPosition: '',
  sourceIdField: 'id',
  paginationKind: 'auto',
  pagination: {},
  maxPages: '',
  sqlKeyColumn: '',
  sqlPageSize: '',
  incremental: false,
  incrementalField: '',
  incrementalQuery: '',
  incrementalLookback: '',
  reconcileEveryRuns: '',
  reconcileCron: '',
  query: [],
  headers: [],
  conditions: '',
  hashFields: '',
  subObjects: [],
  mappingId: '',
  targetType: 'register',
  targetRegisterId: '',
  targetSchemaId: '',
  targetSourceId: '',
  targetMappingId: '',
  target: targetFields(defaultTarget),
  sqlTarget: EMPTY_SQL_TARGET,
  writeMode: 'upsert',
  deleteMode: 'soft',
  deleteThreshold: '50',
  restrictDeletion: '',
  scheduleCron: '',
  scheduleTimezone: 'UTC',
  successRetentionDays: '30',
  errorRetentionDays: '90',
  followUpIds: [],
  oneTime: false,
  runOnceAt: '',
  selectedIds: '',
  objectEndpoint: '',
  direction: 'one-way',
  twoWay: EMPTY_TWO_WAY,
  writeBack: EMPTY_WRITE_BACK,
  writeBackMappingId: '',
};

const pairs = (record: Record<string, string>): KeyValue[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

function paginationText(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(config)) {
    if (name === 'kind') continue;
    if (typeof value === 'string' || typeof value === 'number') out[name] = String(value);
  }
  return out;
}

/** The form for editing a saved synchronisation. */
export function formFromSync(sync: SyncRow): SyncFormState {
  const parsedSource = readStored(syncSourceConfigSchema, sync.sourceConfig, `synchronisation ${sync.id}`);
  const source = parsedSource.success ? parsedSource.data : syncSourceConfigSchema.parse({});
  // An SQL target's settings (they name a table) are not read as a REST target's.
  const sql =
    typeof sync.targetConfig === 'object' && sync.targetConfig !== null && 'table' in sync.targetConfig;
  const parsedTarget = sql
    ? null
    : readStored(restTargetConfigSchema, sync.targetConfig, `synchronisation ${sync.id}`);
  const target = parsedTarget?.success ? parsedTarget.data : defaultTarget;
  return {
    name: sync.name,
    description: sync.description,
    enabled: sync.enabled,
    sourceId: sync.sourceId,
    sourceEndpoint: sync.sourceEndpoint,
    resultsPosition: source.resultsPosition ?? '',
    sourceIdField: source.sourceIdField,
    paginationKind: source.pagination.kind,
    pagination: paginationText(source.pagination),
    maxPages: source.maxPages === undefined ? '' : String(source.maxPages),
    sqlKeyColumn: source.sql?.keyColumn ?? '',
    sqlPageSize: source.sql ? String(source.sql.pageSize) : '',
    incremental: source.incremental !== undefined,
    incrementalField: source.incremental?.field ?? '',
    incrementalQuery: source.incremental?.query ?? '',
    incrementalLookback: source.incremental?.lookbackSeconds
      ? String(source.incremental.lookbackSeconds)
      : '',
    reconcileEveryRuns:
      source.incremental?.reconcileEveryRuns === undefined
        ? ''
        : String(source.incremental.reconcileEveryRuns),
    reconcileCron: source.incremental?.reconcileCron ?? '',
    query: pairs(source.query),
    headers: pairs(source.headers),
    conditions: source.conditions === undefined ? '' : JSON.stringify(source.conditions, null, 2),
    hashFields: source.hashFields.join('\n'),
    subObjects: source.subObjects.map((s) => ({
      path: s.path,
      idField: s.idField,
      mappingId: s.mappingId ?? '',
    })),
    mappingId: sync.mappingId ?? '',
    targetType: sync.targetType,
    targetRegisterId: sync.targetRegisterId ?? '',
    targetSchemaId: sync.targetSchemaId ?? '',
    targetSourceId: sync.targetSourceId ?? '',
    targetMappingId: sync.targetMappingId ?? '',
    target: targetFields(target),
    sqlTarget: sqlTargetFields(sync.targetConfig),
    writeMode: sync.writeMode,
    deleteMode: sync.deleteMode,
    deleteThreshold: String(Math.round(sync.deleteThreshold * 1000) / 10),
    restrictDeletion: (sync.restrictDeletion ?? []).join('\n'),
    scheduleCron: sync.scheduleCron ?? '',
    scheduleTimezone: sync.scheduleTimezone,
    successRetentionDays: String(sync.successRetentionDays),
    errorRetentionDays: String(sync.errorRetentionDays),
    followUpIds: sync.followUps.map((f) => f.id),
    oneTime: sync.oneTime,
    runOnceAt: sync.runOnceAt ? localDateTime(new Date(sync.runOnceAt)) : '',
    selectedIds: source.selectedIds.join('\n'),
    objectEndpoint: source.objectEndpoint ?? '',
    direction: sync.direction,
    ...twoWayFormFields(sync),
    writeBackMappingId: sync.writeBackMappingId ?? '',
  };
}

/** The props every form section takes. */
export interface SectionProps {
  state: SyncFormState;
  /** The chosen source's kind: the form shows only the settings it reads (a REST source until chosen). */
  kind: SourceKind;
  set: (patch: Partial<SyncFormState>) => void;
  /** The server's or the form's reason for a field, by the field's API name. */
  errorFor: (...keys: string[]) => string | null;
}
