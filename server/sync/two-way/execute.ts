// Builds a two-way run's ports from its setup and drives runTwoWay (run.ts).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { mappings } from '../../db/schema';
import { readStored, storedMapping } from '../config/stored';
import { twoWayConfigSchema, twoWaySettingsOf } from '../config/sync-config';
import { resolveWriteBack } from '../config/write-back';
import { compileMapping, type CompiledMapping } from '../core/mapping';
import type { ListingOutcome } from '../core/pagination/types';
import { summariseFailure, type RunSummary } from '../core/run-result';
import type { RunRecorder, SourcePort, StepRunner } from '../ports';
import { createContractStore } from '../stores/contract-store';
import { claimChanges, reclaimChanges } from '../stores/run-changes';
import { DEFAULT_RETRY_DELAYS_MS } from '../core/retry-backoff';
import type { PushCursor } from '../run/push-cursor';
import { buildSource, buildTarget, type AdapterOptions } from '../run/adapters';
import { observedTarget } from '../run/push-ledger';
import { deletionPolicyOf, type RunSetup } from '../run/setup';
import { createPairStore } from './pair-store';
import { countTargetGone, countUnlinked, createRegisterSide } from './register-side';
import { settleDelivery } from './push-delivery';
import { applyResolutions } from './resolutions';
import { runTwoWay } from './run';
import { sourceOwnFieldsOf, sqlCarriedOf } from './source-own-fields';
import { buildWriteBack } from './write-back';

export async function executeTwoWay(
  db: Db,
  setup: RunSetup,
  recorder: RunRecorder,
  step: StepRunner,
  options: AdapterOptions & {
    startedAt: Date;
    single?: Record<string, unknown>;
    /** The register changes this run was queued for (a hub's fan-out): claimed, and their outcome recorded. */
    push?: PushCursor | null;
  },
): Promise<RunSummary> {
  const { run, sync } = setup;
  const mode = { test: run.test, force: run.force };
  const fail = async (message: string) => {
    const summary = summariseFailure(`${message} Nothing was read, written or deleted.`, mode);
    await step.run('finish', async () => {
      await recorder.finish(summary);
      return summary;
    });
    return summary;
  };
  if (setup.target.kind !== 'register')
    return fail('A two-way synchronisation needs a register schema as its target.');
  const config = readStored(
    twoWayConfigSchema,
    sync.twoWay ?? {},
    `synchronisation ${sync.id} two-way settings`,
  );
  if (!config.success)
    return fail(`The two-way settings are invalid: ${config.error.issues[0]?.message ?? ''}`);
  let reverse: CompiledMapping | null = null;
  if (sync.writeBackMappingId) {
    const [row] = await db
      .select()
      .from(mappings)
      .where(and(eq(mappings.orgId, sync.orgId), eq(mappings.id, sync.writeBackMappingId)));
    if (!row) return fail('The write-back mapping no longer exists.');
    const compiled = compileMapping(storedMapping(row.config, row.id));
    if (!compiled.ok)
      return fail(
        `The write-back mapping cannot run: ${compiled.problems.map((p) => p.message).join('; ')}.`,
      );
    reverse = compiled.mapping;
  }
  const scope = { orgId: sync.orgId, schemaId: setup.target.schemaId, syncId: sync.id };
  const pairs = createPairStore(db, { ...scope, runId: run.id });
  // A hub's fan-out names the register objects that changed: only they (and their source objects) are
  // compared, not both listings in full. Their source objects are fetched by id.
  const push = options.push && !options.single ? options.push : null;
  const selection = push ? await selectionOf(pairs, push) : null;
  const source = options.single
    ? oneObject(setup.source.id, options.single)
    : selection
      ? selection.originIds.length === 0
        ? noObjects(setup.source.id)
        : await buildSource(db, selectedSetup(setup, selection.originIds), options)
      : await buildSource(db, setup, options);
  if (!source.ok) return fail(source.message);
  const register = buildTarget(db, setup, options, run.id);
  const twoWay = twoWaySettingsOf(config.data);
  const writeBack = buildWriteBack(setup, options, {
    db,
    runId: run.id,
    matchField: twoWay.match?.source ?? null,
  });
  if (!register.ok || !writeBack.ok) {
    await source.close();
    return fail(!register.ok ? register.message : !writeBack.ok ? writeBack.message : '');
  }
  // How the source is written to: what an update keeps as the source holds it, and which SQL columns it carries.
  const resolved = resolveWriteBack(setup.source.type === 'sql' ? 'sql' : 'rest', sync);
  const ctx = {
    runId: run.id,
    idField: setup.idField,
    syncId: sync.id,
    mode,
    checkedAt: options.startedAt,
    twoWay,
    hashFields: setup.settings.hashFields,
    reverse,
    forward: setup.settings.mapping ?? null,
    mappingEditedAt: setup.mappingChangedAt,
    sourceOwnFields: sourceOwnFieldsOf(resolved, reverse, setup.settings.mapping ?? null),
    sqlCarried: sqlCarriedOf(resolved, reverse, setup.settings.mapping ?? null),
    origin: { systemId: setup.source.id, syncId: sync.id, runId: run.id },
    deletionPolicy: deletionPolicyOf(sync),
  };
  // Every answer of the source to a write, by request: how each change of a fan-out ended (push-delivery.ts).
  const answered = observedTarget(writeBack.writeBack.port);
  const ports = {
    pairs,
    register: register.port,
    writeBack: { ...writeBack.writeBack, port: answered.port },
    contracts: createContractStore(db, sync.orgId, sync.id),
    side: createRegisterSide(db, scope),
    recorder,
    countTargetGone: () => countTargetGone(db, scope),
    countUnlinked: () => countUnlinked(db, scope),
  };
  const ledger =
    push && !mode.test
      ? { orgId: sync.orgId, runId: run.id, syncId: sync.id, schemaId: push.schemaId }
      : null;
  if (push && ledger)
    await step.run('claim-changes', async () => [
      // A retry takes over the claims of the run that could not deliver them (stores/run-changes.ts).
      ...(await (run.trigger === 'retry' ? reclaimChanges : claimChanges)(
        db,
        ledger,
        push.changes,
        push.objectIds,
      )),
    ]);
  try {
    const summary = await runTwoWay(
      {
        source: source.port,
        ctx,
        ports,
        idField: setup.idField,
        settings: setup.settings,
        holdAboveShare: sync.deleteThreshold,
        sourceDisabled: !setup.source.enabled,
        single: options.single !== undefined,
        ...(selection ? { selection } : {}),
        applyResolutions: () => applyResolutions(ctx, ports),
      },
      step,
    );
    if (push && ledger)
      await step.run('settle-changes', async () => {
        await settleDelivery(
          db,
          ledger,
          push,
          summary,
          { startedAt: options.startedAt, failed: answered },
          options.retryDelays ?? DEFAULT_RETRY_DELAYS_MS,
        );
        return true;
      });
    return summary;
  } finally {
    await Promise.all([source.close(), register.close(), writeBack.writeBack.close()]);
  }
}

/**
 * The source of a run that carries one object: one page. Its listing is "complete" as a listing of that
 * object only; the run knows it is single and learns nothing about deletions from it (run.ts).
 */
function oneObject(systemId: string, object: Record<string, unknown>) {
  const outcome: ListingOutcome = { complete: true, pages: 1 };
  const port: SourcePort<unknown> = {
    systemId,
    // eslint-disable-next-line @typescript-eslint/require-await
    async *pages() {
      yield { number: 1, objects: [object], then: { kind: 'end', outcome } };
      return outcome;
    },
  };
  return { ok: true as const, port, close: async () => {} };
}

/** The pushed register objects, and the source ids their contracts link them to. */
async function selectionOf(pairs: ReturnType<typeof createPairStore>, push: PushCursor) {
  const linked = await pairs.byTargetIds(push.objectIds);
  const originIds = [...linked.values()].filter((c) => c.status !== 'deleted').map((c) => c.originId);
  return { registerIds: [...push.objectIds], originIds };
}

/**
 * The run's setup reading only these source ids: by id where the source can (an SQL id column; a REST
 * path of one object — the synchronisation's, or `<listing path>/{{id}}` as a REST API usually has it).
 */
function selectedSetup(setup: RunSetup, originIds: readonly string[]): RunSetup {
  const path = (setup.sync.sourceEndpoint.split(/[?#]/)[0] ?? '').replace(/\/+$/, '');
  return {
    ...setup,
    sourceConfig: {
      ...setup.sourceConfig,
      selectedIds: [...originIds],
      objectEndpoint: setup.sourceConfig.objectEndpoint ?? `${path}/{{id}}`,
    },
  };
}

/** A source with nothing to read: every pushed object is new to the source. */
function noObjects(systemId: string) {
  const outcome: ListingOutcome = { complete: true, pages: 0 };
  const port: SourcePort<unknown> = {
    systemId,
    // eslint-disable-next-line @typescript-eslint/require-await, require-yield
    async *pages() {
      return outcome;
    },
  };
  return { ok: true as const, port, close: async () => {} };
}
