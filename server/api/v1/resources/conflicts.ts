// Conflicts of two-way synchronisations, as /api/v1 answers them: the queue's rows, and one conflict
// with its three-way diff per field (base = as last synced, source through the mapping, target = the
// register's), how it was settled, and the run that writes the resolution to both sides.
import { z } from 'zod';
import { CONFLICT_KINDS, CONFLICT_STATUSES } from '@/server/db/schema';
import { CONFLICT_POLICIES } from '@/server/sync/core/two-way/settings';
import type { DiffRow } from '@/server/sync/core/two-way/three-way-diff';
import { iso, time } from './index';

const version = z
  .record(z.string(), z.unknown())
  .nullable()
  .describe('The object in the register’s shape; null when that side deleted it.');

export const ConflictSummary = z
  .object({
    id: z.string(),
    synchronisationId: z.string(),
    synchronisationName: z.string(),
    originId: z.string().describe('The object’s id in the source.'),
    targetId: z.string().nullable().describe('The object’s id in the register.'),
    kind: z
      .enum(CONFLICT_KINDS)
      .describe('Both sides changed the object, or one deleted it while the other changed it.'),
    status: z
      .enum(CONFLICT_STATUSES)
      .describe('`resolving`: a resolution is chosen and waits for the run that writes it to both sides.'),
    createdAt: time,
    resolvedAt: time.nullable(),
  })
  .meta({ id: 'ConflictSummary' });

export const ConflictList = z
  .object({
    items: z.array(ConflictSummary),
    total: z.int().describe('How many conflicts match the filters.'),
    nextCursor: z.string().nullable().describe('Also in the `Link: <…>; rel="next"` header.'),
  })
  .meta({ id: 'ConflictList' });

export const ConflictField = z
  .object({
    path: z.string().describe('The field’s dot path: what `fields` in a resolution names.'),
    base: z.unknown().optional().describe('As last synced; left out when the field was missing.'),
    source: z.unknown().optional().describe('The source’s value; left out when missing there.'),
    target: z.unknown().optional().describe('The register’s value; left out when missing there.'),
    changedIn: z.enum(['none', 'source', 'target', 'both']),
    conflicting: z
      .boolean()
      .describe('Both sides changed it into different values: a per-field resolution must pick a side.'),
    key: z
      .boolean()
      .describe(
        'The field identifies the object (`id`, or the synchronisation’s id field): each system’s own, never conflicting; a per-field resolution keeps the register’s value unless it picks one.',
      ),
  })
  .meta({ id: 'ConflictField' });

export const Conflict = ConflictSummary.extend({
  synchronisation: z.object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    conflictPolicy: z.enum(CONFLICT_POLICIES),
  }),
  fields: z.array(ConflictField),
  base: version.describe(
    'As last synced; null when there is none: the object was found on both sides, with different values, before it was ever synchronised.',
  ),
  source: version.describe('The source’s version through the mapping (the register’s shape).'),
  target: version,
  sourceUpdatedAt: z.string().nullable().describe('The updated-at value the source reported, as read.'),
  targetUpdatedAt: z.string().nullable(),
  resolution: z
    .object({
      take: z.enum(['source', 'target', 'fields']),
      fields: z.record(z.string(), z.enum(['source', 'target'])).optional(),
      merged: version.describe('What is written to both sides; null deletes the object on both.'),
    })
    .nullable(),
  resolvedBy: z.string().nullable().describe('`person`, or the conflict policy that settled it.'),
  losing: version.describe('The version that lost (kept for reference); null for a per-field merge.'),
  run: z
    .object({ id: z.string(), status: z.string(), result: z.string().nullable() })
    .nullable()
    .describe('The run that writes (or wrote) the resolution.'),
}).meta({ id: 'Conflict' });

export const ConflictResolved = z
  .object({
    conflict: ConflictSummary,
    merged: version.describe('What the run writes to both sides; null deletes the object on both.'),
    runId: z
      .string()
      .nullable()
      .describe('The run that writes it; null while the synchronisation is disabled (its next run does).'),
    alreadyActive: z.boolean().describe('A run was already queued or running: it writes the resolution.'),
  })
  .meta({ id: 'ConflictResolved' });

interface ConflictRow {
  id: string;
  synchronisationId: string;
  originId: string;
  targetId: string | null;
  kind: (typeof CONFLICT_KINDS)[number];
  status: (typeof CONFLICT_STATUSES)[number];
  createdAt: Date;
  resolvedAt: Date | null;
}

export function toConflictSummary(
  c: ConflictRow & { synchronisationName: string },
): z.output<typeof ConflictSummary> {
  return {
    id: c.id,
    synchronisationId: c.synchronisationId,
    synchronisationName: c.synchronisationName,
    originId: c.originId,
    targetId: c.targetId,
    kind: c.kind,
    status: c.status,
    createdAt: iso(c.createdAt)!,
    resolvedAt: iso(c.resolvedAt),
  };
}

type Json = Record<string, unknown> | null;

/** `getConflict`'s answer → the resource; the resolution's bookkeeping (who, which run applied it) stays in. */
export function toConflict(detail: {
  conflict: ConflictRow & {
    baseData: Json;
    sourceMapped: Json;
    targetData: Json;
    sourceUpdatedAt: string | null;
    targetUpdatedAt: string | null;
    resolution: Record<string, unknown> | null;
    resolvedBy: string | null;
    losingData: Json;
  };
  sync: { id: string; name: string; enabled: boolean; conflictPolicy: (typeof CONFLICT_POLICIES)[number] };
  rows: DiffRow[];
  run: { id: string; status: string; result: string | null } | null;
}): z.output<typeof Conflict> {
  const { conflict: c, sync } = detail;
  const resolution = c.resolution as z.output<typeof Conflict>['resolution'];
  return {
    ...toConflictSummary({ ...c, synchronisationName: sync.name }),
    synchronisation: {
      id: sync.id,
      name: sync.name,
      enabled: sync.enabled,
      conflictPolicy: sync.conflictPolicy,
    },
    fields: detail.rows.map((r) => ({ ...r })),
    base: c.baseData ?? null,
    source: c.sourceMapped ?? null,
    target: c.targetData ?? null,
    sourceUpdatedAt: c.sourceUpdatedAt,
    targetUpdatedAt: c.targetUpdatedAt,
    resolution: resolution
      ? {
          take: resolution.take,
          ...(resolution.fields ? { fields: resolution.fields } : {}),
          merged: resolution.merged ?? null,
        }
      : null,
    resolvedBy: c.resolvedBy,
    losing: c.losingData ?? null,
    run: detail.run ? { id: detail.run.id, status: detail.run.status, result: detail.run.result } : null,
  };
}
