// A push run: delivers the changes of some register objects to one synchronisation that reads their
// schema, through the same engine as a listing — one page of the changed objects as they are now
// (`page-1`: contract lookup, decisions, mapping, target writes), then the objects deleted since
// (`deletions-1`, under the synchronisation's deletion rules, see core/push-deletions.ts). Nothing
// else: the run lists nothing, so it deletes only what it was told was deleted.
// Each change is claimed for this subscriber first (push-ledger.ts): one already claimed by another run
// is not delivered again, and the run's log lists the change ids it delivered and how each ended.
import { and, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { objects, objectsOfOrg, ofSchema, type runs } from '../../db/schema';
import { readStored } from '../config/stored';
import { registerSourceConfig } from '../config/source-config';
import { deleteDeparted } from '../core/push-deletions';
import { syncPage, type EnginePorts } from '../core/run-page';
import { addCounts, summariseFailure, summariseRun, ZERO_COUNTS, type RunSummary } from '../core/run-result';
import type { DeletionPlan } from '../core/deletions';
import { DEFAULT_RETRY_DELAYS_MS } from '../core/retry-backoff';
import type { StepRunner } from '../ports';
import { deletionPlanTimeline, objectsTimeline } from '../core/timeline';
import { createRegisterIdentity } from '../sources/register-identity';
import { createContractStore } from '../stores/contract-store';
import { dropRetries, heldRetries, retriesOfRun, scheduleRetries } from '../stores/push-retries';
import { claimChanges, heldByRun, reclaimChanges, settleChanges } from '../stores/run-changes';
import { createRunRecorder } from '../stores/run-recorder';
import { buildTarget, type AdapterOptions } from './adapters';
import { engineContext } from './engine-context';
import type { PushCursor } from './push-cursor';
import { observedTarget, outcomesOf, retriesOf } from './push-ledger';
import { deletionPolicyOf, loadRunSetup, type RunSetup } from './setup';

type Row = { id: string; data: Record<string, unknown>; deletedAt: Date | null };

async function loadObjects(db: Db, orgId: string, push: PushCursor): Promise<Map<string, Row>> {
  const rows = await db
    .select({ id: objects.id, data: objects.data, deletedAt: objects.deletedAt })
    .from(objects)
    .where(and(objectsOfOrg(orgId), ofSchema(push.schemaId), inArray(objects.id, push.objectIds)));
  return new Map(rows.map((row) => [row.id, row]));
}

/** The schema a synchronisation reads, when its source is a register source. */
export function schemaRead(setup: RunSetup): string | null {
  if (setup.source.type !== 'register') return null;
  const config = readStored(registerSourceConfig, setup.source.config, `source ${setup.source.id} settings`);
  return config.success ? config.data.schemaId : null;
}

export async function executePush(
  db: Db,
  run: typeof runs.$inferSelect & { startedAt: Date },
  push: PushCursor | null,
  step: StepRunner,
  options: AdapterOptions,
): Promise<RunSummary> {
  const recorder = createRunRecorder(db, run.orgId, run.synchronisationId, run.id);
  const mode = { test: run.test, force: run.force };
  const finish = (summary: RunSummary) =>
    step.run('finish', async () => {
      await recorder.finish(summary);
      return summary;
    });
  const retry = run.trigger === 'retry';
  const delays = options.retryDelays ?? DEFAULT_RETRY_DELAYS_MS;
  const fail = async (message: string) => {
    // A retry that cannot even start (its synchronisation no longer reads the schema, a target it cannot
    // build) would fail the same way every time: its objects wait for a person.
    if (retry && !mode.test)
      await dropRetries(
        db,
        run.synchronisationId,
        (await heldRetries(db, run.id)).map((row) => row.objectId),
      );
    return finish(summariseFailure(`${message} Nothing was pushed.`, mode));
  };

  if (!push) return fail('The list of changes this run was to push cannot be read.');
  const loaded = await loadRunSetup(db, run);
  if (!loaded.ok) return fail(loaded.message);
  const { setup } = loaded;
  if (schemaRead(setup) !== push.schemaId)
    return fail('The synchronisation no longer reads the register schema these changes were made in.');
  if (!setup.source.enabled) return fail('The source is disabled.');
  const target = buildTarget(db, setup, options, run.id);
  if (!target.ok) return fail(target.message);

  const observed = observedTarget(target.port);
  // Each contract stays with its register object: a second object with the same id is refused, one
  // whose id changed takes its contract along, a deleted one takes only its own (register-identity.ts).
  const identity = createRegisterIdentity({
    db,
    orgId: run.orgId,
    syncId: setup.sync.id,
    schemaId: push.schemaId,
    idField: setup.idField,
    test: mode.test,
  });
  const ports: EnginePorts = {
    contracts: identity.store(createContractStore(db, run.orgId, run.synchronisationId, { runId: run.id })),
    target: observed.port,
    recorder,
  };
  const scope = { orgId: run.orgId, runId: run.id, syncId: setup.sync.id, schemaId: push.schemaId };
  // A dry run claims nothing: it delivers nothing.
  const ledger = !mode.test;
  // What did not get through for a passing reason is tried again by itself (stores/push-retries.ts); what
  // got through, or was refused for good, is not. A retry run also lets go of objects another run holds.
  const settleRetries = async (
    originIds: ReadonlyMap<string, string | null>,
    dataOf: (id: string) => Record<string, unknown> | null,
  ) => {
    if (!ledger) return;
    const { retry: again, settled } = retriesOf(originIds, observed.passing);
    await dropRetries(db, scope.syncId, settled);
    await scheduleRetries(
      db,
      scope,
      [...again].map(([objectId, reason]) => ({
        objectId,
        changeId: push.changes[objectId] ?? null,
        data: dataOf(objectId),
        reason,
      })),
      delays,
    );
  };
  const context = engineContext(setup, { runId: run.id, mode, checkedAt: run.startedAt });
  try {
    // The objects as they are now: five edits in a burst are one write of the last version.
    const written = await step.run('page-1', async () => {
      const startedAt = Date.now();
      // A retry run delivers the objects whose retries it still holds: one whose retry went meanwhile (a
      // newer change queued its own push, a person's Run delivered it) is not its any more.
      const mine = retry && ledger ? await retriesOfRun(db, run.id) : null;
      const asked = mine ? push.objectIds.filter((id) => mine.has(id)) : push.objectIds;
      const claim = retry ? reclaimChanges : claimChanges;
      const held = ledger ? await claim(db, scope, push.changes, asked) : new Set(push.objectIds);
      // Changes another run holds are delivered there: a retry of them here lets go.
      if (mine)
        await dropRetries(
          db,
          scope.syncId,
          asked.filter((id) => !held.has(id)),
          run.id,
        );
      const rows = await loadObjects(db, run.orgId, push);
      const liveRows = push.objectIds.flatMap((id) => {
        const row = rows.get(id);
        return !held.has(id) || !row || row.deletedAt !== null ? [] : [row];
      });
      const { objects, refused, originIds: live } = await identity.resolve(liveRows, 1);
      // The run log's timeline: what this run read from the register (a push reads no URL).
      const timeline = objectsTimeline(
        startedAt,
        objects.length,
        `${objects.length} changed ${objects.length === 1 ? 'object' : 'objects'} read from the register.`,
        Date.now() - startedAt,
      );
      if (objects.length === 0 && refused.length === 0) {
        await settleRetries(new Map(liveRows.map((row) => [row.id, null])), () => null);
        await recorder.entries('page-1', [], timeline);
        return ZERO_COUNTS;
      }
      const counts = await syncPage(ports, context, { number: 1, objects, timeline, refused });
      if (ledger) {
        const outcomes = outcomesOf(live, observed.answers, 'unchanged');
        // A refused object was not delivered: its change waits for the object to change again.
        for (const row of liveRows) if (!live.has(row.id)) outcomes.set(row.id, 'failed');
        await settleChanges(db, scope, outcomes);
        await settleRetries(new Map(liveRows.map((row) => [row.id, live.get(row.id) ?? null])), () => null);
      }
      await recorder.progress({ pagesFetched: 1, counts });
      return counts;
    });
    const departed = await step.run('deletions-1', async () => {
      const held = ledger ? await heldByRun(db, run.orgId, run.id) : new Set(push.objectIds);
      const mine = retry && ledger ? await retriesOfRun(db, run.id) : null;
      const rows = await loadObjects(db, run.orgId, push);
      const goneRows: { id: string; data: Record<string, unknown> }[] = [];
      const gone = new Map<string, string | null>();
      for (const id of push.objectIds) {
        const row = rows.get(id);
        // Objects without a change id (runs queued by an older version) are always this run's.
        if (row?.deletedAt === null || (push.changes[id] !== undefined && !held.has(id))) continue;
        if (mine && !mine.has(id)) continue;
        const data = row?.data ?? push.removed[id];
        if (data) goneRows.push({ id, data });
        else gone.set(id, null);
      }
      // Only the contract a deleted object owns is deleted: never another object's with the same id.
      for (const [id, originId] of await identity.departed(goneRows)) gone.set(id, originId);
      const originIds = [...new Set([...gone.values()].filter((id): id is string => id !== null))];
      const result = await deleteDeparted(
        ports,
        context,
        {
          policy: deletionPolicyOf(setup.sync),
          restrictDeletion: setup.sync.restrictDeletion,
          holdAboveShare: setup.sync.deleteThreshold,
        },
        originIds,
        false,
      );
      // Objects deleted from the register: the deletion phase's line in the timeline says what became of them.
      const timeline = originIds.length > 0 ? deletionPlanTimeline(result.plan, Date.now()) : [];
      await recorder.entries('deletions-1', result.entries, timeline);
      if (ledger) await settleChanges(db, scope, outcomesOf(gone, observed.answers, 'kept'));
      await settleRetries(gone, (id) => rows.get(id)?.data ?? push.removed[id] ?? null);
      const counts = addCounts(written, { ...result.counts, found: originIds.length });
      await recorder.progress({ pagesFetched: 1, counts });
      // Changes another run of this subscriber claimed first: delivered there, not here.
      const elsewhere = push.objectIds.filter((id) => push.changes[id] !== undefined && !held.has(id)).length;
      return { counts, plan: result.plan, gone: originIds.length, elsewhere };
    });
    return finish(summarise(push, departed, mode, retry));
  } finally {
    await target.close();
  }
}

function summarise(
  push: PushCursor,
  {
    counts,
    plan,
    gone,
    elsewhere = 0,
  }: { counts: RunSummary['counts']; plan: DeletionPlan; gone: number; elsewhere?: number },
  mode: { test: boolean; force: boolean },
  retry: boolean,
): RunSummary {
  const summary = summariseRun({ outcome: { complete: true, pages: 1 }, counts, deletion: plan, mode });
  const changes = push.objectIds.length;
  const heading = retry
    ? `${changes} undelivered register ${changes === 1 ? 'change' : 'changes'} tried again`
    : `${changes} register ${changes === 1 ? 'change' : 'changes'} pushed`;
  let note = '';
  if (plan.kind === 'none' && plan.reason === 'policy-none' && gone > 0)
    note = ' Deleted objects were left in the target: the deletion policy is to delete nothing.';
  if (elsewhere > 0)
    note += ` ${elsewhere} of these ${elsewhere === 1 ? 'changes was' : 'changes were'} already delivered by another run and not sent again.`;
  // Not a listing: nothing else was looked at, and nothing else could have been deleted.
  return { ...summary, complete: false, message: `${heading}: ${summary.message}${note}` };
}
