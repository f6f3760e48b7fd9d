// Builds a two-way run's ports from its setup and drives runTwoWay (run.ts).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { mappings } from '../../db/schema';
import { readStored, storedMapping } from '../config/stored';
import { twoWayConfigSchema, twoWaySettingsOf } from '../config/sync-config';
import { compileMapping, type CompiledMapping } from '../core/mapping';
import type { ListingOutcome } from '../core/pagination/types';
import type { RunSummary } from '../core/run-result';
import type { RunRecorder, SourcePort, StepRunner } from '../ports';
import { createContractStore } from '../stores/contract-store';
import { buildSource, buildTarget, type AdapterOptions } from '../run/adapters';
import { deletionPolicyOf, type RunSetup } from '../run/setup';
import { createPairStore } from './pair-store';
import { countTargetGone, countUnlinked, createRegisterSide } from './register-side';
import { applyResolutions } from './resolutions';
import { runTwoWay } from './run';
import { buildWriteBack } from './write-back';

export async function executeTwoWay(
  db: Db,
  setup: RunSetup,
  recorder: RunRecorder,
  step: StepRunner,
  options: AdapterOptions & { startedAt: Date; single?: Record<string, unknown> },
): Promise<RunSummary> {
  const { run, sync } = setup;
  const mode = { test: run.test, force: run.force };
  const fail = async (message: string) => {
    const summary: RunSummary = {
      result: 'error',
      message: `${message} Nothing was read, written or deleted.`,
      counts: {
        found: 0,
        created: 0,
        updated: 0,
        rewritten: 0,
        deleted: 0,
        skipped: 0,
        invalid: 0,
        failed: 0,
        filtered: 0,
        held: 0,
        unidentified: 0,
      },
      pagesFetched: 0,
      complete: false,
      test: mode.test,
    };
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
  const source = options.single
    ? oneObject(setup.source.id, options.single)
    : await buildSource(db, setup, options);
  if (!source.ok) return fail(source.message);
  const register = buildTarget(db, setup, options);
  const writeBack = buildWriteBack(setup, options);
  if (!register.ok || !writeBack.ok) {
    await source.close();
    return fail(!register.ok ? register.message : !writeBack.ok ? writeBack.message : '');
  }
  const scope = { orgId: sync.orgId, schemaId: setup.target.schemaId, syncId: sync.id };
  const ctx = {
    runId: run.id,
    idField: setup.idField,
    syncId: sync.id,
    mode,
    checkedAt: options.startedAt,
    twoWay: twoWaySettingsOf(config.data),
    hashFields: setup.settings.hashFields,
    reverse,
    origin: { systemId: setup.source.id, syncId: sync.id, runId: run.id },
    deletionPolicy: deletionPolicyOf(sync),
    sourceDeletion: sync.writeBack && 'softDelete' in sync.writeBack ? ('soft' as const) : ('hard' as const),
  };
  const ports = {
    pairs: createPairStore(db, scope),
    register: register.port,
    writeBack: writeBack.writeBack,
    contracts: createContractStore(db, sync.orgId, sync.id),
    side: createRegisterSide(db, scope),
    recorder,
    countTargetGone: () => countTargetGone(db, scope),
    countUnlinked: () => countUnlinked(db, scope),
  };
  try {
    return await runTwoWay(
      {
        source: source.port,
        ctx,
        ports,
        idField: setup.idField,
        settings: setup.settings,
        holdAboveShare: sync.deleteThreshold,
        sourceDisabled: !setup.source.enabled,
        single: options.single !== undefined,
        applyResolutions: () => applyResolutions(ctx, ports),
      },
      step,
    );
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
