// A two-way synchronisation's settings as the form's text, and back: the policies, the matching and
// updated-at fields, how the source is written back to (REST endpoints and methods, or an SQL table and
// its key columns) and the write-back mapping. An empty write-back field is left out, so it follows the
// default (config/write-back.ts), which the form shows as the field's placeholder.
import type { SyncDirection } from '@/server/db/schema/synchronisations';
import { readStored } from '@/server/sync/config/stored';
import { twoWayConfigSchema, type TwoWayConfigInput } from '@/server/sync/config/sync-config';
import type { ConflictPolicy, SourceOfTruth, TargetOnlyPolicy } from '@/server/sync/core/two-way/settings';

export interface TwoWayFields {
  conflictPolicy: ConflictPolicy;
  sourceOfTruth: SourceOfTruth;
  targetOnly: TargetOnlyPolicy;
  matchSource: string;
  matchTarget: string;
  updatedAtSource: string;
  updatedAtTarget: string;
}

export interface WriteBackFields {
  createEndpoint: string;
  createMethod: 'POST' | 'PUT';
  updateEndpoint: string;
  updateMethod: 'PUT' | 'PATCH' | 'POST';
  deleteEndpoint: string;
  idPath: string;
  /** SQL: the table, its key columns (comma-separated) and the soft delete column. */
  table: string;
  keyColumns: string;
  softDeleteColumn: string;
}

export const EMPTY_TWO_WAY: TwoWayFields = {
  conflictPolicy: 'manual',
  sourceOfTruth: 'source',
  targetOnly: 'leave',
  matchSource: '',
  matchTarget: '',
  updatedAtSource: '',
  updatedAtTarget: '',
};

export const EMPTY_WRITE_BACK: WriteBackFields = {
  createEndpoint: '',
  createMethod: 'POST',
  updateEndpoint: '',
  updateMethod: 'PUT',
  deleteEndpoint: '',
  idPath: '',
  table: '',
  keyColumns: '',
  softDeleteColumn: '',
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** A saved synchronisation's two-way settings as the form's text (the defaults when it is one-way). */
export function twoWayFormFields(sync: { id: string; twoWay: unknown; writeBack: unknown }) {
  const parsed = sync.twoWay
    ? readStored(twoWayConfigSchema, sync.twoWay, `synchronisation ${sync.id}`)
    : null;
  const t = parsed?.success ? parsed.data : null;
  const w = (typeof sync.writeBack === 'object' && sync.writeBack ? sync.writeBack : {}) as Record<
    string,
    unknown
  >;
  const softDelete = (w['softDelete'] ?? {}) as Record<string, unknown>;
  const twoWay: TwoWayFields = t
    ? {
        conflictPolicy: t.conflictPolicy,
        sourceOfTruth: t.sourceOfTruth,
        targetOnly: t.targetOnly,
        matchSource: t.match?.source ?? '',
        matchTarget: t.match?.target ?? '',
        updatedAtSource: t.updatedAt.source ?? '',
        updatedAtTarget: t.updatedAt.target ?? '',
      }
    : EMPTY_TWO_WAY;
  const writeBack: WriteBackFields = {
    createEndpoint: text(w['createEndpoint']),
    createMethod: w['createMethod'] === 'PUT' ? 'PUT' : 'POST',
    updateEndpoint: text(w['updateEndpoint']),
    updateMethod: w['updateMethod'] === 'PATCH' || w['updateMethod'] === 'POST' ? w['updateMethod'] : 'PUT',
    deleteEndpoint: text(w['deleteEndpoint']),
    idPath: text(w['idPath']),
    table: text(w['table']),
    keyColumns: Array.isArray(w['keyColumns']) ? w['keyColumns'].join(', ') : '',
    softDeleteColumn: text(softDelete['column']),
  };
  return { twoWay, writeBack };
}

const filled = (entries: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v.trim() !== ''));

/** The API's two-way fields; all left out for a one-way synchronisation. */
export function twoWayInput(
  direction: SyncDirection,
  sql: boolean,
  t: TwoWayFields,
  w: WriteBackFields,
  writeBackMappingId: string,
  softDelete: boolean,
) {
  if (direction !== 'two-way') return { direction };
  const match = t.matchSource.trim() || t.matchTarget.trim();
  const newer = t.conflictPolicy === 'newer-wins';
  const twoWay: TwoWayConfigInput = {
    conflictPolicy: t.conflictPolicy,
    sourceOfTruth: t.sourceOfTruth,
    targetOnly: t.targetOnly,
    ...(match ? { match: { source: t.matchSource.trim(), target: t.matchTarget.trim() } } : {}),
    // Read only when newer wins: not sent otherwise (the API refuses what a policy does not read).
    ...(newer ? { updatedAt: filled({ source: t.updatedAtSource, target: t.updatedAtTarget }) } : {}),
  };
  const keyColumns = w.keyColumns
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const column = w.softDeleteColumn.trim();
  const writeBack = sql
    ? {
        ...filled({ table: w.table }),
        ...(keyColumns.length ? { keyColumns } : {}),
        ...(softDelete && column ? { softDelete: { column } } : {}),
      }
    : {
        ...filled({
          createEndpoint: w.createEndpoint,
          updateEndpoint: w.updateEndpoint,
          deleteEndpoint: w.deleteEndpoint,
          idPath: w.idPath,
        }),
        createMethod: w.createMethod,
        updateMethod: w.updateMethod,
      };
  return { direction, twoWay, writeBack, writeBackMappingId: writeBackMappingId || null };
}
