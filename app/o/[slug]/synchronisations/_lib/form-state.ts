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
import type { PaginationKind } from './pagination-kinds';
import type { SyncRow } from './types';

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
}

/** A saved REST target configuration as the form's text. */
function targetFields(config: RestTargetConfig): TargetFields {
  const { softDelete, idInRequestBody, sendChangedFields, batch, ...rest } = config;
  return {
    ...rest,
    idInRequestBody: idInRequestBody ?? '',
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
  writeMode: 'upsert',
  deleteMode: 'soft',
  deleteThreshold: '50',
  restrictDeletion: '',
  scheduleCron: '',
  scheduleTimezone: 'UTC',
  successRetentionDays: '30',
  errorRetentionDays: '90',
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
  const parsedTarget = readStored(restTargetConfigSchema, sync.targetConfig, `synchronisation ${sync.id}`);
  const target = parsedTarget.success ? parsedTarget.data : defaultTarget;
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
    writeMode: sync.writeMode,
    deleteMode: sync.deleteMode,
    deleteThreshold: String(Math.round(sync.deleteThreshold * 1000) / 10),
    restrictDeletion: (sync.restrictDeletion ?? []).join('\n'),
    scheduleCron: sync.scheduleCron ?? '',
    scheduleTimezone: sync.scheduleTimezone,
    successRetentionDays: String(sync.successRetentionDays),
    errorRetentionDays: String(sync.errorRetentionDays),
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
