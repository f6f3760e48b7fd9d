// Synchronisations: configuration validated as a whole when saved (source, mapping, target, engine
// settings, schedule), so a run never starts from a configuration that cannot work. How the source is
// read, with the synchronisation's own secrets, is checked in sync-source-config.ts; its direction in
// two-way-config.ts. Answers mask its own secrets (`publicSettings`).
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { runs, SYNC_DIRECTIONS, synchronisations, syncStates, TARGET_TYPES } from '../db/schema';
import { DELETION_POLICIES } from '../sync/core/deletions';
import { WRITE_MODES } from '../sync/core/write-mode';
import { compileMapping } from '../sync/core/mapping';
import { maskedParams } from '../sync/config/source-secrets';
import { storedMapping } from '../sync/config/stored';
import { restTargetConfigSchema, type RestTargetConfig } from '../sync/config/sync-config';
import { resolveWriteBack, type ResolvedWriteBack } from '../sync/config/write-back';
import { UserError, notFound } from './errors';
import { refuseSecretsInEndpoints } from './endpoint-secrets';
import { InvalidInput, parseInput, type FieldIssue } from './field-issues';
import { loadMapping } from './mappings';
import { loadRegister, loadSchema } from './registers';
import { checkFollowUps, saveFollowUps } from './follow-ups';
import { checkSchedule, nextRunAt } from './schedule';
import { loadSource } from './sources';
import { changesHowItSynchronises } from './sync-config-edits';
import { checkIncremental, nextReconcileAt } from './sync-cursor';
import { rekeyOnSave } from './sync-rekey';
import { readSyncSecrets, writeSyncSecrets } from './sync-secrets';
import { checkSourceConfig } from './sync-source-config';
import { checkSqlTarget } from './sql-targets';
import { checkTargetKept } from './sync-target-change';
import { checkNoLoop } from './opposite-syncs';
import { checkDirection } from './two-way-config';

export const synchronisationInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).optional(),
  enabled: z.boolean().optional(),
  sourceId: z.string().min(1),
  // A REST path, or for an SQL source a table or a whole SELECT query.
  sourceEndpoint: z.string().max(20_000).optional(),
  sourceConfig: z.unknown().optional(),
  mappingId: z.string().nullish(),
  targetType: z.enum(TARGET_TYPES),
  targetRegisterId: z.string().nullish(),
  targetSchemaId: z.string().nullish(),
  targetSourceId: z.string().nullish(),
  targetMappingId: z.string().nullish(),
  targetConfig: z.unknown().optional(),
  writeMode: z.enum(WRITE_MODES).optional(),
  deleteMode: z.enum(DELETION_POLICIES).optional(),
  restrictDeletion: z.array(z.string().min(1)).max(10_000).nullish(),
  deleteThreshold: z.number().min(0).max(1).optional(),
  scheduleCron: z.string().trim().max(200).nullish(),
  scheduleTimezone: z.string().trim().max(100).optional(),
  successRetentionDays: z.int().min(1).max(3650).optional(),
  errorRetentionDays: z.int().min(1).max(3650).optional(),
  // Runs once (when started, or at runOnceAt) and then disables itself.
  oneTime: z.boolean().optional(),
  runOnceAt: z.date().nullish(),
  // Synchronisations of this organisation that run after this one. Left out: unchanged.
  followUpIds: z.array(z.string().min(1)).max(100).optional(),
  // Two-way (a REST or SQL source ⇄ a register schema): the policies, how the source is written back
  // to (its REST or SQL target settings; what is left out follows config/write-back.ts) and the mapping
  // from the register's object to the source's shape. One-way synchronisations leave them out.
  direction: z.enum(SYNC_DIRECTIONS).optional(),
  twoWay: z.unknown().optional(),
  writeBack: z.unknown().optional(),
  writeBackMappingId: z.string().nullish(),
});

export type SynchronisationInput = z.infer<typeof synchronisationInput>;
type Row = typeof synchronisations.$inferSelect;

/**
 * A synchronisation as answered (API, tRPC, the form): its own headers and query parameters named like
 * secrets read `***` — the placeholders of its own secrets (saved by an earlier version; still sent when
 * it runs), and any plain value a row not yet moved holds.
 */
export function publicSettings<T extends { sourceConfig: unknown }>(row: T): T {
  return { ...row, sourceConfig: maskedParams(row.sourceConfig) };
}

/** A REST target's mapping from the synchronised object to the request body; registers have none. */
async function checkTargetMapping(db: Db | Tx, orgId: string, targetType: string, mappingId: string) {
  if (targetType === 'register') {
    throw new UserError(
      'BAD_REQUEST',
      'A target mapping applies only to a REST API or SQL database target: a register schema stores the synchronised object as it is. Leave it out, or write to a REST API or SQL database.',
      'targetMappingId',
    );
  }
  const mapping = await loadMapping(db, orgId, mappingId);
  const compiled = compileMapping(storedMapping(mapping.config, mapping.id));
  if (!compiled.ok) {
    const problems = compiled.problems.map((p) => `${p.key}: ${p.message}`).join('; ');
    throw new UserError('BAD_REQUEST', `The target mapping cannot run: ${problems}.`, 'targetMappingId');
  }
}

/** Settings left out, null or `{}`: none. */
const settingsNone = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

/**
 * Checks every reference and setting; returns the columns to store and the synchronisation's own secrets
 * (`secrets`). `current`: the saved row when editing, with its own secrets.
 */
async function resolve(
  db: Db | Tx,
  orgId: string,
  input: SynchronisationInput,
  current: { row: Row; secrets: Record<string, string> } | null = null,
) {
  const { source, kind, sourceConfig, stored, secrets } = await checkSourceConfig(db, orgId, input, current);
  if (input.targetMappingId) await checkTargetMapping(db, orgId, input.targetType, input.targetMappingId);
  let targetConfig: Record<string, unknown> = {};
  if (input.targetType === 'register') {
    const missing: FieldIssue[] = [];
    if (!input.targetRegisterId)
      missing.push({ field: 'targetRegisterId', message: 'Choose the register to write to.' });
    if (!input.targetSchemaId)
      missing.push({ field: 'targetSchemaId', message: 'Choose the schema to write to.' });
    if (!input.targetRegisterId || !input.targetSchemaId) throw new InvalidInput(missing);
    // Settings a register would not read are refused, not saved to do nothing ({} sets none: as answered).
    if (!settingsNone(input.targetConfig)) {
      throw new UserError(
        'BAD_REQUEST',
        'A register target takes no target settings (targetConfig): a register schema stores the synchronised object as it is. Leave them out, or write to a REST API or SQL database.',
        'targetConfig',
      );
    }
    await loadRegister(db, orgId, input.targetRegisterId);
    const schema = await loadSchema(db, orgId, input.targetSchemaId);
    if (schema.registerId !== input.targetRegisterId) {
      throw new UserError('BAD_REQUEST', 'The schema does not belong to that register.', 'targetSchemaId');
    }
  } else {
    if (!input.targetSourceId)
      throw new UserError('BAD_REQUEST', 'Choose the source to write to.', 'targetSourceId');
    const target = await loadSource(db, orgId, input.targetSourceId);
    if (target.type === 'sql') {
      const deletion = { writeMode: input.writeMode ?? 'upsert', deleteMode: input.deleteMode ?? 'soft' };
      targetConfig = checkSqlTarget(target, input.targetConfig, deletion);
    } else if (target.type !== 'rest') {
      throw new UserError('BAD_REQUEST', 'Only REST and SQL sources can be written to.', 'targetSourceId');
    } else {
      targetConfig = parseInput(restTargetConfigSchema, input.targetConfig ?? {}, 'targetConfig');
      refuseSecretsInEndpoints(targetConfig as RestTargetConfig, 'targetConfig');
    }
  }
  const timezone = input.scheduleTimezone || 'UTC';
  if (input.scheduleCron) checkSchedule(input.scheduleCron, timezone);
  const oneTime = checkOneTime(input, current?.row ?? null);
  checkIncremental(source.type, sourceConfig, timezone);
  const direction = await checkDirection(db, orgId, input, { source, kind, sourceConfig });
  checkOtherTargetUnsent(input);
  return {
    name: input.name,
    description: input.description ?? '',
    enabled: input.enabled ?? true,
    sourceId: input.sourceId,
    sourceEndpoint: input.sourceEndpoint ?? '',
    sourceConfig: stored,
    mappingId: input.mappingId ?? null,
    targetType: input.targetType,
    targetRegisterId: input.targetType === 'register' ? (input.targetRegisterId ?? null) : null,
    targetSchemaId: input.targetType === 'register' ? (input.targetSchemaId ?? null) : null,
    targetSourceId: input.targetType === 'source' ? (input.targetSourceId ?? null) : null,
    targetMappingId: input.targetMappingId ?? null,
    targetConfig,
    writeMode: input.writeMode ?? 'upsert',
    deleteMode: input.deleteMode ?? 'soft',
    restrictDeletion: input.restrictDeletion ?? null,
    deleteThreshold: input.deleteThreshold ?? 0.5,
    scheduleCron: input.scheduleCron || null,
    scheduleTimezone: timezone,
    successRetentionDays: input.successRetentionDays ?? 30,
    errorRetentionDays: input.errorRetentionDays ?? 90,
    ...oneTime,
    ...direction,
    secrets,
  };
}

/**
 * The other kind of target's references are refused, not saved to do nothing: a register target writes
 * to no source, a REST or SQL target to no register schema. Left out or null: none.
 */
function checkOtherTargetUnsent(input: SynchronisationInput) {
  if (input.targetType === 'register') {
    if (input.targetSourceId) {
      throw new UserError(
        'BAD_REQUEST',
        'A register target takes no target source (targetSourceId): it writes into the register schema chosen. Leave it out, or write to a REST API or SQL database.',
        'targetSourceId',
      );
    }
    return;
  }
  const sent: FieldIssue[] = [];
  if (input.targetRegisterId)
    sent.push({
      field: 'targetRegisterId',
      message:
        'A REST API or SQL database target takes no register (targetRegisterId): it writes to the target source chosen. Leave it out, or write to a register schema.',
    });
  if (input.targetSchemaId)
    sent.push({
      field: 'targetSchemaId',
      message:
        'A REST API or SQL database target takes no schema (targetSchemaId): it writes to the target source chosen. Leave it out, or write to a register schema.',
    });
  if (sent.length) throw new InvalidInput(sent);
}

/**
 * A one-time synchronisation runs when started or at its time, never on a cron schedule. A time that
 * has passed is refused when it is set, not when an unrelated edit saves it again after it ran.
 */
function checkOneTime(input: SynchronisationInput, current: Row | null) {
  const oneTime = input.oneTime ?? false;
  // A time it would not run at is refused, not saved to do nothing.
  if (!oneTime && input.runOnceAt) {
    throw new UserError(
      'BAD_REQUEST',
      'A time to run at is for a one-time synchronisation: make it one-time (oneTime), or leave the time out.',
      'runOnceAt',
    );
  }
  const runOnceAt = input.runOnceAt ?? null;
  if (oneTime && input.scheduleCron) {
    throw new UserError(
      'BAD_REQUEST',
      'A one-time synchronisation runs once, not on a schedule: clear the cron expression, or set a time to run at.',
      'scheduleCron',
    );
  }
  const unchanged = current?.runOnceAt?.getTime() === runOnceAt?.getTime();
  if (runOnceAt && !unchanged && runOnceAt.getTime() <= Date.now()) {
    throw new UserError(
      'BAD_REQUEST',
      'The time to run at has passed: choose a later time, or leave it empty and start the run yourself.',
      'runOnceAt',
    );
  }
  return { oneTime, runOnceAt };
}

/** When the ticker next requests a run: the cron schedule's next time, or a one-time sync's time to come. */
function nextScheduled(row: Row, now = new Date()): Date | null {
  if (!row.enabled) return null;
  if (row.oneTime) return row.runOnceAt && row.runOnceAt > now ? row.runOnceAt : null;
  return row.scheduleCron ? nextRunAt(row.scheduleCron, row.scheduleTimezone, now) : null;
}

/**
 * `before`: the row as it was. A time its schedule still gives is kept: one that is due but not yet
 * ticked (the ticker a minute apart, or not running) would otherwise move on and its run be lost to an
 * edit of the description.
 */
async function saveSchedule(db: Db | Tx, orgId: string, row: Row, before?: Row) {
  const now = new Date();
  const next = nextScheduled(row, now);
  const reconcile = nextReconcileAt(row, now);
  const same = (a: Date | null, b: Date | null) => a?.getTime() === b?.getTime();
  const times = {
    ...(before && same(nextScheduled(before, now), next) ? {} : { nextRunAt: next }),
    ...(before && same(nextReconcileAt(before, now), reconcile) ? {} : { nextReconcileAt: reconcile }),
  };
  if (Object.keys(times).length > 0)
    await db
      .insert(syncStates)
      .values({ synchronisationId: row.id, orgId, ...times })
      .onConflictDoUpdate({ target: syncStates.synchronisationId, set: times });
  // Switched off: its runs still waiting for a slot do not start later (one asked for now would be
  // refused). A test run still goes, as it may while disabled; one already executing finishes.
  if (!row.enabled)
    await db
      .update(runs)
      .set({
        status: 'cancelled',
        result: 'warning',
        message: 'Not started: the synchronisation was disabled before this run began. Nothing was written.',
        finishedAt: new Date(),
      })
      .where(and(eq(runs.synchronisationId, row.id), eq(runs.status, 'queued'), eq(runs.test, false)));
}

export async function createSynchronisation(db: Db | Tx, orgId: string, input: SynchronisationInput) {
  // A new synchronisation keeps no secret of its own: there is no saved value a mask could keep.
  const { secrets: _none, ...values } = await resolve(db, orgId, input);
  await checkNoLoop(db, orgId, { id: null, ...values });
  const followUps = await checkFollowUps(db, orgId, null, input.name, input.followUpIds ?? []);
  const [row] = await db
    .insert(synchronisations)
    .values({ orgId, ...values })
    .returning();
  await saveFollowUps(db, orgId, row!.id, followUps);
  await saveSchedule(db, orgId, row!);
  return row!;
}

export async function loadSynchronisation(db: Db, orgId: string, syncId: string): Promise<Row> {
  const [row] = await db
    .select()
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)));
  if (!row) throw notFound('The synchronisation');
  return row;
}

/**
 * A full replacement of the configuration. `updatedAt` moves only when the edit changes what is read or
 * written (sync-config-edits.ts): the next run then re-checks every object, and an incremental one lists
 * everything. A new name or schedule keeps it, so the cursor and the skip rule stay valid.
 */
export async function updateSynchronisation(
  db: Db,
  orgId: string,
  syncId: string,
  input: SynchronisationInput,
) {
  const current = await loadSynchronisation(db, orgId, syncId);
  const stored = await readSyncSecrets(db, orgId, syncId);
  const { secrets, ...values } = await resolve(db, orgId, input, { row: current, secrets: stored });
  await checkTargetKept(db, orgId, current, values);
  await checkNoLoop(db, orgId, { id: syncId, ...values });
  const followUps =
    input.followUpIds && (await checkFollowUps(db, orgId, syncId, input.name, input.followUpIds));
  const secretsChanged = JSON.stringify(secrets) !== JSON.stringify(stored);
  const changed = changesHowItSynchronises(current, values, secretsChanged);
  // The settings and the secrets their placeholders stand for change together, and with another id
  // field the contracts' origin ids (sync-rekey.ts): a refusal there leaves all of it as it was.
  const [row] = await db.transaction(async (tx) => {
    const rekeyed = await rekeyOnSave(tx, orgId, current, values);
    const updated = await tx
      .update(synchronisations)
      .set({
        ...rekeyed,
        // Saving it enabled clears why it was disabled (a one-time run that happened).
        ...(values.enabled ? { disabledReason: null } : {}),
        updatedAt: changed ? new Date() : current.updatedAt,
      })
      .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)))
      .returning();
    if (secretsChanged) await writeSyncSecrets(tx, orgId, syncId, secrets);
    return updated;
  });
  if (followUps) await saveFollowUps(db, orgId, syncId, followUps);
  await saveSchedule(db, orgId, row!, current);
  return row!;
}

/** How a two-way synchronisation writes back to its source, defaults filled in; null when one-way. */
export async function resolvedWriteBack(db: Db, orgId: string, row: Row): Promise<ResolvedWriteBack | null> {
  if (row.direction !== 'two-way') return null;
  const source = await loadSource(db, orgId, row.sourceId);
  if (source.type !== 'rest' && source.type !== 'sql') return null;
  try {
    return resolveWriteBack(source.type, row);
  } catch (error) {
    // Settings saved by another version that no longer read: the page still opens, the run says why.
    console.warn(error instanceof Error ? error.message : error);
    return null;
  }
}

export async function setSynchronisationEnabled(db: Db, orgId: string, syncId: string, enabled: boolean) {
  const current = await loadSynchronisation(db, orgId, syncId);
  if (enabled) await checkNoLoop(db, orgId, { ...current, enabled });
  // Switching on or off is not an edit of how objects are synchronised: the skip rule stays valid.
  const [row] = await db
    .update(synchronisations)
    .set({ enabled, disabledReason: null, updatedAt: current.updatedAt })
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)))
    .returning();
  await saveSchedule(db, orgId, row!);
  return row!;
}

export async function deleteSynchronisation(db: Db, orgId: string, syncId: string) {
  await loadSynchronisation(db, orgId, syncId);
  await db
    .delete(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)));
}

export async function listSynchronisations(db: Db, orgId: string) {
  return db
    .select({ sync: synchronisations, state: syncStates })
    .from(synchronisations)
    .leftJoin(syncStates, eq(syncStates.synchronisationId, synchronisations.id))
    .where(eq(synchronisations.orgId, orgId))
    .orderBy(asc(synchronisations.name));
}
