// Loads everything a run needs from the database and checks it once, before the first page:
// the run, its synchronisation, the source (with decrypted secrets), mappings and target schema.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { mappings, type runs, schemas, sources, synchronisations, syncStates } from '../../db/schema';
import { readSecrets } from '../../services/sources';
import { readSyncSecrets } from '../../services/sync-secrets';
import { digestValue } from '../core/canonical-json';
import { compileMapping, type CompiledMapping } from '../core/mapping';
import { prepareSettings } from '../core/settings';
import type { EngineSettings } from '../core/one-way';
import type { IncrementalPlan } from '../core/incremental/open';
import { isCursorValue } from '../core/incremental/values';
import type { SubObjectSettings } from '../core/sub-objects';
import {
  restTargetConfigSchema,
  sqlTargetConfigSchema,
  syncSourceConfigSchema,
  type RestTargetConfig,
  type SqlTargetConfig,
  type SyncSourceConfig,
} from '../config/sync-config';
import { readStored, storedMapping } from '../config/stored';
import { csvIdField } from '../config/csv-id';
import { storedUnsubscribe } from '../config/unsubscribe';
import { hasPlaceholders, withoutPlaceholders, withSyncSecrets } from '../config/sync-secrets';

type SourceRow = typeof sources.$inferSelect;

export interface RunSetup {
  run: typeof runs.$inferSelect;
  sync: typeof synchronisations.$inferSelect;
  source: SourceRow;
  /** The source's secrets: what its connection and writes to it carry. */
  sourceSecrets: Record<string, string>;
  /**
   * What this synchronisation's reading requests (its listing, reads by id, a two-way read-back) carry:
   * the source's secrets with the synchronisation's own over them (config/sync-secrets.ts), as its own
   * headers and query parameters go with those requests and no other.
   */
  readingSecrets: Record<string, string>;
  /** Its settings, without the placeholders of its own secrets (those go as secrets). */
  sourceConfig: SyncSourceConfig;
  idField: string;
  settings: EngineSettings;
  mappingChangedAt: Date | null;
  /** Nested objects with their own mappings, written to the same target. */
  subObjects: readonly SubObjectSettings[];
  /** Incremental reading: its settings and the cursor state between runs (null: every run is full). */
  incremental: IncrementalPlan | null;
  target:
    | { kind: 'register'; registerId: string; schemaId: string; jsonSchema: Record<string, unknown> }
    | {
        kind: 'source';
        source: SourceRow;
        secrets: Record<string, string>;
        config: RestTargetConfig;
        /** The target mapping: from the synchronised object to the body the target API expects (the engine applies it). */
        bodyMapping: CompiledMapping | null;
      }
    | {
        /** An SQL source's table (targets/sql.ts). */
        kind: 'sql';
        source: SourceRow;
        secrets: Record<string, string>;
        config: SqlTargetConfig;
        /** The target mapping: from the synchronised object to the row's columns (the engine applies it). */
        bodyMapping: CompiledMapping | null;
      };
}

export type SetupResult = { ok: true; setup: RunSetup } | { ok: false; message: string };

/** What a vanished object does to the target: a mirror follows the source's deletions in full. */
export function deletionPolicyOf(sync: Pick<RunSetup['sync'], 'writeMode' | 'deleteMode'>) {
  return sync.writeMode === 'mirror' ? 'hard' : sync.deleteMode;
}

const fail = (message: string): SetupResult => ({ ok: false, message });
const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

export async function loadRunSetup(db: Db, run: typeof runs.$inferSelect): Promise<SetupResult> {
  const orgId = run.orgId;
  const one = async <T>(rows: Promise<T[]>) => (await rows)[0];
  const sync = await one(
    db
      .select()
      .from(synchronisations)
      .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, run.synchronisationId))),
  );
  if (!sync) return fail('The synchronisation no longer exists.');
  const source = await one(
    db
      .select()
      .from(sources)
      .where(and(eq(sources.orgId, orgId), eq(sources.id, sync.sourceId))),
  );
  if (!source) return fail('The source of this synchronisation no longer exists.');
  const parsedSource = readStored(
    syncSourceConfigSchema,
    sync.sourceConfig,
    `synchronisation ${sync.id} source settings`,
  );
  if (!parsedSource.success)
    return fail(`The source settings are invalid: ${parsedSource.error.issues[0]?.message ?? ''}`);
  const mapping = sync.mappingId
    ? await one(
        db
          .select()
          .from(mappings)
          .where(and(eq(mappings.orgId, orgId), eq(mappings.id, sync.mappingId))),
      )
    : undefined;
  const subs = parsedSource.data.subObjects;
  const subMappingIds = [...new Set(subs.flatMap((sub) => (sub.mappingId ? [sub.mappingId] : [])))];
  const subMappings = new Map(
    subMappingIds.length === 0
      ? []
      : (
          await db
            .select()
            .from(mappings)
            .where(and(eq(mappings.orgId, orgId), inArray(mappings.id, subMappingIds)))
        ).map((row) => [row.id, row]),
  );
  const lost = subs.find((sub) => sub.mappingId && !subMappings.has(sub.mappingId));
  if (lost) return fail(`The mapping of the sub-objects at "${lost.path}" no longer exists.`);
  // A CSV source's id column, chosen in its preview, is what identifies its rows.
  const sourceIdField = csvIdField(source) ?? parsedSource.data.sourceIdField;
  const prepared = prepareSettings({
    sourceIdField,
    conditions: parsedSource.data.conditions,
    hashFields: parsedSource.data.hashFields,
    mapping: mapping ? storedMapping(mapping.config, mapping.id) : null,
    subObjects: subs.map((sub) => {
      const subMapping = sub.mappingId ? subMappings.get(sub.mappingId) : undefined;
      return {
        path: sub.path,
        idField: sub.idField,
        mapping: subMapping ? storedMapping(subMapping.config, subMapping.id) : null,
        mappingChangedAt: subMapping?.updatedAt ?? null,
      };
    }),
  });
  if (!prepared.ok) {
    return fail(
      `The configuration cannot run: ${prepared.problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`,
    );
  }

  let targetMappingChangedAt: Date | null = null;
  let targetSchemaChangedAt: Date | null = null;
  let target: RunSetup['target'];
  if (sync.targetType === 'register') {
    const schema = sync.targetSchemaId
      ? await one(
          db
            .select()
            .from(schemas)
            .where(and(eq(schemas.orgId, orgId), eq(schemas.id, sync.targetSchemaId))),
        )
      : undefined;
    if (!schema || !sync.targetRegisterId) return fail('The target schema no longer exists.');
    targetSchemaChangedAt = schema.updatedAt;
    target = {
      kind: 'register',
      registerId: sync.targetRegisterId,
      schemaId: schema.id,
      jsonSchema: schema.jsonSchema,
    };
  } else {
    const targetSource = sync.targetSourceId
      ? await one(
          db
            .select()
            .from(sources)
            .where(and(eq(sources.orgId, orgId), eq(sources.id, sync.targetSourceId))),
        )
      : undefined;
    if (!targetSource) return fail('The target source no longer exists.');
    const sql = targetSource.type === 'sql';
    const config = readStored(
      sql ? sqlTargetConfigSchema : restTargetConfigSchema,
      sync.targetConfig,
      `synchronisation ${sync.id} target settings`,
    );
    if (!config.success)
      return fail(`The target settings are invalid: ${config.error.issues[0]?.message ?? ''}`);
    const targetMapping = sync.targetMappingId
      ? await one(
          db
            .select()
            .from(mappings)
            .where(and(eq(mappings.orgId, orgId), eq(mappings.id, sync.targetMappingId))),
        )
      : undefined;
    if (sync.targetMappingId && !targetMapping) return fail('The target mapping no longer exists.');
    let bodyMapping: CompiledMapping | null = null;
    if (targetMapping) {
      const compiled = compileMapping(storedMapping(targetMapping.config, targetMapping.id));
      if (!compiled.ok) {
        const problems = compiled.problems.map((p) => `${p.key}: ${p.message}`).join('; ');
        return fail(`The target mapping cannot run: ${problems}.`);
      }
      bodyMapping = compiled.mapping;
      // An edit of the target mapping changes what the target holds, as an edit of the mapping does.
      targetMappingChangedAt = targetMapping.updatedAt;
    }
    const common = { source: targetSource, secrets: readSecrets(targetSource), bodyMapping };
    target = sql
      ? { kind: 'sql', ...common, config: config.data as SqlTargetConfig }
      : { kind: 'source', ...common, config: config.data as RestTargetConfig };
  }

  const toTarget = {
    writeMode: sync.writeMode,
    targetMapping: target.kind === 'register' ? null : target.bodyMapping,
    // How an external target is written to: an edit of it sends every object again (core/prepare.ts).
    targetFingerprint:
      target.kind === 'register'
        ? null
        : digestValue(target.kind === 'sql' ? target.config : writtenTo(target.config)),
    // What each object was last sent, kept on its contract: the base of a REST target's changed-fields
    // patch; the field names an SQL target without chosen columns empties once an object drops them.
    keepSentObjects:
      target.kind === 'source' && target.config.sendChangedFields === true
        ? true
        : target.kind === 'sql' && target.config.columns === undefined
          ? ('fields' as const)
          : false,
    // A push subscriber's unsubscribed fields are never written to it (core/prepare.ts). Not for a
    // two-way synchronisation: these settings also carry its changes into the register.
    omitFields: sync.direction === 'two-way' ? [] : storedUnsubscribe(sync.unsubscribe, sync.id).fields,
  };
  const sourceSecrets = readSecrets(source);
  return {
    ok: true,
    setup: {
      incremental: await incrementalPlan(
        db,
        run,
        parsedSource.data,
        target.kind === 'register' ? targetSchemaChangedAt : null,
      ),
      run,
      sync,
      source,
      sourceSecrets,
      // Its own are looked up only when its settings name one (few do: values of earlier versions).
      readingSecrets: hasPlaceholders(parsedSource.data)
        ? withSyncSecrets(sourceSecrets, await readSyncSecrets(db, orgId, sync.id), parsedSource.data)
        : sourceSecrets,
      sourceConfig: { ...withoutPlaceholders(parsedSource.data), sourceIdField },
      idField: prepared.idField,
      settings: { ...prepared.settings, ...toTarget },
      mappingChangedAt: latest(mapping?.updatedAt ?? null, targetMappingChangedAt),
      // Children go to the same target through the same target mapping, in the same write mode.
      subObjects: prepared.subObjects.map((sub) => ({
        ...sub,
        settings: { ...sub.settings, ...toTarget },
        mappingChangedAt: latest(sub.mappingChangedAt, targetMappingChangedAt),
      })),
      target,
    },
  };
}

/**
 * The part of a REST target's settings that decides what the target ends up holding. Batching and
 * sending changed fields only change how it gets there: editing them sends nothing again.
 */
function writtenTo(config: RestTargetConfig): Omit<RestTargetConfig, 'batch' | 'sendChangedFields'> {
  const { batch: _batch, sendChangedFields: _changedOnly, ...rest } = config;
  return rest;
}

/** The settings and the state row of an incremental synchronisation; null when it reads everything. */
async function incrementalPlan(
  db: Db,
  run: typeof runs.$inferSelect,
  config: SyncSourceConfig,
  targetChangedAt: Date | null,
): Promise<IncrementalPlan | null> {
  const incremental = config.incremental;
  if (!incremental) return null;
  const [state] = await db
    .select()
    .from(syncStates)
    .where(and(eq(syncStates.orgId, run.orgId), eq(syncStates.synchronisationId, run.synchronisationId)));
  const cursor = isCursorValue(state?.cursor) ? state.cursor : null;
  return {
    settings: {
      field: incremental.field,
      lookbackSeconds: incremental.lookbackSeconds,
      reconcileEveryRuns: incremental.reconcileEveryRuns ?? null,
    },
    state: {
      cursor,
      cursorSetAt: cursor === null ? null : (state?.cursorSetAt ?? null),
      runsSinceFull: state?.runsSinceFull ?? 0,
    },
    requestedFull: run.listing === 'full',
    targetChangedAt,
  };
}
