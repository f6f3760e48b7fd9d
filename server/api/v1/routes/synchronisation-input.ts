// The body of creating or changing a synchronisation: the form's input (services/synchronisations.ts),
// unknown fields refused with the nearest known one as tRPC does, times as ISO strings. A PATCH is the
// saved configuration with the sent fields over it, so the service checks the whole as the form's save.
import { z } from 'zod';
import type { synchronisations } from '@/server/db/schema';
import {
  publicSettings,
  synchronisationInput,
  type SynchronisationInput,
} from '@/server/services/synchronisations';
import { strictObject } from '@/server/sync/core/strict-object';

const asSaved = 'As the synchronisation form saves it: GET a synchronisation to see one.';
const shape = synchronisationInput.shape;

const fields = {
  ...shape,
  sourceConfig: shape.sourceConfig.describe(
    `How the source is read (id field, paging, conditions…). ${asSaved} Its own \`headers\` and ` +
      '`query` take no secret-looking names (a key, token, auth, cookie, …): give those to the source as ' +
      'its authentication or its secret `header:<name>` / `query:<name>`, which its requests carry. One ' +
      'an earlier version saved reads `***` and, sent back so, keeps its value while the source is the same.',
  ),
  targetConfig: shape.targetConfig.describe(`REST or SQL targets: how objects are written. ${asSaved}`),
  twoWay: shape.twoWay.describe(`Two-way only: matching and conflict policies. ${asSaved}`),
  writeBack: shape.writeBack.describe(`Two-way only: how the source is written back to. ${asSaved}`),
  runOnceAt: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .nullish()
    .describe('One-time synchronisations: when to run (ISO 8601); left out, when started.'),
  followUpIds: shape.followUpIds.describe('Synchronisations that run after this one; left out: unchanged.'),
};

export const syncCreateBody = strictObject(fields, 'field').meta({ id: 'SynchronisationInput' });

export const syncPatchBody = strictObject(fields, 'field')
  .partial()
  .meta({ id: 'SynchronisationPatch', description: 'Only the fields to change.' });

type Row = typeof synchronisations.$inferSelect;

/**
 * The saved configuration as the form's input, so a PATCH checks and saves the whole — as answered: a
 * secret an earlier version saved in its headers or query parameters is its mask, which keeps it.
 */
function inputOf(row: Row): SynchronisationInput {
  return {
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    sourceId: row.sourceId,
    sourceEndpoint: row.sourceEndpoint,
    sourceConfig: publicSettings(row).sourceConfig,
    mappingId: row.mappingId,
    targetType: row.targetType,
    targetRegisterId: row.targetRegisterId,
    targetSchemaId: row.targetSchemaId,
    targetSourceId: row.targetSourceId,
    targetMappingId: row.targetMappingId,
    targetConfig: row.targetConfig,
    writeMode: row.writeMode,
    deleteMode: row.deleteMode,
    restrictDeletion: row.restrictDeletion,
    deleteThreshold: row.deleteThreshold,
    scheduleCron: row.scheduleCron,
    scheduleTimezone: row.scheduleTimezone,
    successRetentionDays: row.successRetentionDays,
    errorRetentionDays: row.errorRetentionDays,
    oneTime: row.oneTime,
    runOnceAt: row.runOnceAt,
    direction: row.direction,
    twoWay: row.twoWay ?? undefined,
    writeBack: row.writeBack ?? undefined,
    writeBackMappingId: row.writeBackMappingId,
  };
}

export function mergedInput(row: Row, patch: z.output<typeof syncPatchBody>): SynchronisationInput {
  const merged = { ...inputOf(row), ...stripUndefined(patch) };
  // Made one-way: the two-way settings go, unless sent (then the service says why they do not apply).
  if (patch.direction === 'one-way')
    for (const key of ['twoWay', 'writeBack', 'writeBackMappingId'] as const)
      if (!(key in patch)) delete merged[key];
  // Writing to a register: a REST or SQL target's saved source, settings and target mapping go the same
  // way; writing to a REST or SQL target, a register target's saved register and schema.
  const otherTarget =
    merged.targetType === 'register'
      ? (['targetSourceId', 'targetConfig', 'targetMappingId'] as const)
      : (['targetRegisterId', 'targetSchemaId'] as const);
  for (const key of otherTarget) if (patch[key] === undefined) delete merged[key];
  // No longer one-time: the saved time to run at goes too.
  if (!merged.oneTime && patch.runOnceAt === undefined) delete merged.runOnceAt;
  return merged;
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
