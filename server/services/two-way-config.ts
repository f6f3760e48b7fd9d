// A synchronisation's direction checked as it is saved: a two-way synchronisation (a REST or SQL source
// ⇄ a register schema) with its policies, how it writes back to the source and with which mapping; a
// one-way synchronisation with none of those. Every problem is a sentence at its field.
import type { Db, Tx } from '../db/client';
import type { sources, SyncDirection } from '../db/schema';
import { twoWayNotPossible, type SourceKind } from '../sync/config/applicable';
import {
  restTargetConfigSchema,
  twoWayConfigSchema,
  type SyncSourceConfig,
  type TwoWayConfig,
} from '../sync/config/sync-config';
import { writeBackDefaults, writeBackIdField, withWriteBackDefaults } from '../sync/config/write-back';
import { parsePath } from '../sync/core/paths';
import { refuseSecretsInEndpoints } from './endpoint-secrets';
import { InvalidInput, issuesOf, type FieldIssue } from './field-issues';
import { loadRunnableMapping } from './mappings';
import { checkSqlTarget } from './sql-targets';

export interface DirectionInput {
  direction?: SyncDirection | undefined;
  twoWay?: unknown;
  writeBack?: unknown;
  writeBackMappingId?: string | null | undefined;
  targetType: 'register' | 'source';
  sourceEndpoint?: string | undefined;
  writeMode?: string | undefined;
  deleteMode?: string | undefined;
}

export interface DirectionColumns {
  direction: SyncDirection;
  twoWay: Record<string, unknown> | null;
  writeBack: Record<string, unknown> | null;
  writeBackMappingId: string | null;
}

interface Context {
  readonly source: typeof sources.$inferSelect;
  readonly kind: SourceKind;
  readonly sourceConfig: SyncSourceConfig;
}

const given = (value: unknown) => value !== undefined && value !== null;

/** A one-way synchronisation never writes to its source: two-way settings would do nothing. */
function oneWayIssues(input: DirectionInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (given(input.twoWay))
    issues.push({
      field: 'twoWay',
      message:
        'Conflict policies, matching and updated-at fields apply only to a two-way synchronisation: choose Two-way, or leave them out.',
    });
  if (given(input.writeBack))
    issues.push({
      field: 'writeBack',
      message:
        'Write-back settings apply only to a two-way synchronisation (a one-way synchronisation never writes to its source): choose Two-way, or leave them out.',
    });
  if (input.writeBackMappingId)
    issues.push({
      field: 'writeBackMappingId',
      message:
        'A write-back mapping applies only to a two-way synchronisation: choose Two-way, or leave it out.',
    });
  return issues;
}

/** What two-way needs of the rest of the synchronisation: whole listings, upserts, whole objects. */
function shapeIssues(input: DirectionInput, ctx: Context): FieldIssue[] {
  const issues: FieldIssue[] = [...twoWayNotPossible(ctx.kind, input.targetType)];
  if (ctx.sourceConfig.incremental)
    issues.push({
      field: 'sourceConfig.incremental',
      message:
        'A two-way synchronisation reads both sides whole on every run, to see what changed and what was deleted on each: switch incremental reading off.',
    });
  if ((input.writeMode ?? 'upsert') !== 'upsert')
    issues.push({
      field: 'writeMode',
      message:
        'A two-way synchronisation creates and updates objects on both sides: choose the write mode “Create and update”.',
    });
  if (ctx.sourceConfig.subObjects.length > 0)
    issues.push({
      field: 'sourceConfig.subObjects',
      message:
        'Nested objects cannot be written back to the source: a two-way synchronisation keeps whole objects in step. Remove them, or keep this synchronisation one-way.',
    });
  return issues;
}

const PATH_LABELS: Record<string, string> = {
  'match.source': 'The matching field on the source side',
  'match.target': 'The matching field on the register side',
  'updatedAt.source': 'The updated-at field on the source side',
  'updatedAt.target': 'The updated-at field on the register side',
};

/** The policies; match and updated-at fields are dot paths, read by the policies that use them. */
function policyIssues(twoWay: TwoWayConfig): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const paths: Record<string, string | null | undefined> = {
    'match.source': twoWay.match?.source,
    'match.target': twoWay.match?.target,
    'updatedAt.source': twoWay.updatedAt.source,
    'updatedAt.target': twoWay.updatedAt.target,
  };
  for (const [key, path] of Object.entries(paths)) {
    const parsed = path ? parsePath(path) : null;
    if (parsed && !parsed.ok)
      issues.push({
        field: `twoWay.${key}`,
        message: `${PATH_LABELS[key]} is not a dot path: ${parsed.reason}.`,
      });
  }
  const { source, target } = twoWay.updatedAt;
  if (twoWay.conflictPolicy === 'newer-wins') {
    if (!source)
      issues.push({
        field: 'twoWay.updatedAt.source',
        message: 'Newer wins compares the sides’ updated-at fields: name the source’s, such as updatedAt.',
      });
    if (!target)
      issues.push({
        field: 'twoWay.updatedAt.target',
        message: 'Newer wins compares the sides’ updated-at fields: name the register’s, such as updatedAt.',
      });
  } else if (source || target) {
    issues.push({
      field: source ? 'twoWay.updatedAt.source' : 'twoWay.updatedAt.target',
      message:
        'Updated-at fields are read only when newer wins: clear them, or choose the policy “Newer wins”.',
    });
  }
  return issues;
}

/** The keys the person gave, with their checked values: what is left out follows the defaults later. */
function onlyGiven(full: Record<string, unknown>, input: unknown): Record<string, unknown> {
  const keys = typeof input === 'object' && input !== null ? Object.keys(input) : [];
  return Object.fromEntries(keys.filter((key) => full[key] !== undefined).map((key) => [key, full[key]]));
}

/** How the source is written back to, checked with the defaults filled in; stored as given. */
function checkWriteBack(input: DirectionInput, ctx: Context): Record<string, unknown> {
  const raw = input.writeBack ?? {};
  const endpoint = input.sourceEndpoint ?? '';
  const idField = writeBackIdField(ctx.sourceConfig);
  if (ctx.kind.type === 'sql') {
    const defaults = writeBackDefaults('sql', endpoint, idField);
    const filled = withWriteBackDefaults(defaults, raw);
    if (!filled['table'])
      throw new InvalidInput([
        {
          field: 'writeBack.table',
          message:
            'The source reads a query, which cannot be written to: name the table to write the register’s changes back to.',
        },
      ]);
    const deletion = { writeMode: 'upsert', deleteMode: input.deleteMode ?? 'soft' };
    return onlyGiven(checkSqlTarget(ctx.source, filled, deletion, 'writeBack'), raw);
  }
  const filled = withWriteBackDefaults(writeBackDefaults('rest', endpoint, idField), raw);
  const parsed = restTargetConfigSchema.safeParse(filled);
  if (!parsed.success) throw new InvalidInput(issuesOf(parsed.error, ['writeBack']));
  refuseSecretsInEndpoints(parsed.data, 'writeBack');
  return onlyGiven(parsed.data, raw);
}

/** The direction columns to store, or InvalidInput / UserError with each problem at its field. */
export async function checkDirection(
  db: Db | Tx,
  orgId: string,
  input: DirectionInput,
  ctx: Context,
): Promise<DirectionColumns> {
  if ((input.direction ?? 'one-way') === 'one-way') {
    const issues = oneWayIssues(input);
    if (issues.length > 0) throw new InvalidInput(issues);
    return { direction: 'one-way', twoWay: null, writeBack: null, writeBackMappingId: null };
  }
  const issues = shapeIssues(input, ctx);
  const twoWay = twoWayConfigSchema.safeParse(input.twoWay ?? {});
  if (!twoWay.success) issues.push(...issuesOf(twoWay.error, ['twoWay']));
  else issues.push(...policyIssues(twoWay.data));
  // Write-back settings depend on the kind of source: checked once the source can be written back to.
  if (issues.length > 0) throw new InvalidInput(issues);
  const writeBack = checkWriteBack(input, ctx);
  const mappingId = input.writeBackMappingId || null;
  if (mappingId)
    await loadRunnableMapping(db, orgId, mappingId, 'writeBackMappingId', 'The write-back mapping');
  return { direction: 'two-way', twoWay: twoWay.data!, writeBack, writeBackMappingId: mappingId };
}
