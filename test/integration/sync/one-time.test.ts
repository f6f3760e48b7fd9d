// One-time synchronisations through the API: started by a person it runs once and disables itself,
// saying why (and a test run does not use it up); with a time set, the schedule ticker requests it
// once when the time comes (also when the time passed while Concord was down) and never again.
// A time in the past and a cron schedule beside it are refused at their fields.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, syncStates } from '@/server/db/schema';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { executeEmbedded } from '@/server/runner/embedded';
import { requestDueRuns } from '@/server/runner/schedules';
import { requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(4) });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const runsOf = (syncId: string) => db.db.select().from(runs).where(eq(runs.synchronisationId, syncId));
const nextRunOf = async (syncId: string) =>
  (await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, syncId)))[0]?.nextRunAt ??
  null;

describe('one-time synchronisations', () => {
  it('runs once when started, then disables itself with the reason shown', async () => {
    const s = await restToRegister(db.db, peer.url, { oneTime: true });
    const { api, orgId } = s;
    // A dry run plans only: it does not use the one run up.
    expect(await runThroughApi(api, orgId, s.sync.id, { test: true })).toMatchObject({ test: true });
    expect(await api.synchronisations.get({ orgId, syncId: s.sync.id })).toMatchObject({ enabled: true });

    const run = await runThroughApi(api, orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', created: 4 });
    expect(run.message).toContain('This one-time synchronisation is now disabled.');
    const after = await api.synchronisations.get({ orgId, syncId: s.sync.id });
    expect(after.enabled).toBe(false);
    expect(after.disabledReason).toContain(`ran once on`);
    expect(after.disabledReason).toContain(`(run ${run.id}, success)`);
    // Disabling itself is no edit of the configuration: the skip rule still holds.
    expect(after.updatedAt).toEqual(s.sync.updatedAt);

    await expect(api.synchronisations.run({ orgId, syncId: s.sync.id })).rejects.toMatchObject({
      message: expect.stringContaining(
        'This synchronisation is disabled. One-time synchronisation: it ran once',
      ),
    });
    expect((await runsOf(s.sync.id)).filter((r) => !r.test)).toHaveLength(1);

    // Enabled again by a person, it runs once more.
    await api.synchronisations.setEnabled({ orgId, syncId: s.sync.id, enabled: true });
    expect(await api.synchronisations.get({ orgId, syncId: s.sync.id })).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
    expect(await runThroughApi(api, orgId, s.sync.id)).toMatchObject({ result: 'success', skipped: 4 });
    expect(await api.synchronisations.get({ orgId, syncId: s.sync.id })).toMatchObject({ enabled: false });
  });

  it('runs once at its set time, requested by the schedule ticker', async () => {
    const at = new Date(Date.now() + 60 * 60_000);
    const s = await restToRegister(db.db, peer.url, { oneTime: true, runOnceAt: at });
    expect(await nextRunOf(s.sync.id)).toEqual(at);
    expect(await requestDueRuns(db.db, new Date(at.getTime() - 1000))).toEqual([]);

    // Concord was down at the time: the next tick after it still requests the run, once.
    const [runId] = await requestDueRuns(db.db, new Date(at.getTime() + 5 * 60_000));
    expect(runId).toBeDefined();
    expect(await nextRunOf(s.sync.id)).toBeNull();
    await executeEmbedded(db.db, runId!, { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP });
    expect((await runsOf(s.sync.id))[0]).toMatchObject({
      trigger: 'schedule',
      result: 'success',
      created: 4,
    });
    expect(await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id })).toMatchObject({
      enabled: false,
    });
    expect(await requestDueRuns(db.db, new Date(at.getTime() + 24 * 60 * 60_000))).toEqual([]);
    expect(await runsOf(s.sync.id)).toHaveLength(1);
  });

  it('ends a run requested meanwhile unstarted, so it never runs twice', async () => {
    // This test executes the runs itself: the runner an earlier test started would take the queued one
    // meanwhile (the runner's own one-run-per-synchronisation rule does not see a run executed here).
    await stopEmbeddedRunner(db.db);
    const s = await restToRegister(db.db, peer.url, { oneTime: true });
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    // Another synchronisation's end asked for it as a follow-up while this run waited.
    const [extra] = await db.db
      .insert(runs)
      .values({ orgId: s.orgId, synchronisationId: s.sync.id, trigger: 'follow-up' })
      .returning();
    await executeEmbedded(db.db, run.id, { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP });
    const [again] = await db.db.select().from(runs).where(eq(runs.id, extra!.id));
    expect(again).toMatchObject({
      status: 'cancelled',
      message: 'Not started: this one-time synchronisation had already run once.',
    });
    expect((await runsOf(s.sync.id)).filter((r) => r.status === 'finished')).toHaveLength(1);
  });

  it('refuses a time that has passed, and a cron schedule beside it', async () => {
    const s = await restToRegister(db.db, peer.url);
    const base = { orgId: s.orgId, syncId: s.sync.id, ...s.input, oneTime: true };
    await expect(
      s.api.synchronisations.update({ ...base, runOnceAt: new Date(Date.now() - 60_000) }),
    ).rejects.toMatchObject({ message: expect.stringContaining('The time to run at has passed') });
    await expect(
      s.api.synchronisations.update({ ...base, scheduleCron: '*/5 * * * *' }),
    ).rejects.toMatchObject({ message: expect.stringContaining('runs once, not on a schedule') });
  });

  it('refuses a time to run at for a synchronisation that is not one-time, rather than dropping it', async () => {
    const s = await restToRegister(db.db, peer.url);
    const at = new Date(Date.now() + 3_600_000);
    const refusal = {
      message:
        'A time to run at is for a one-time synchronisation: make it one-time (oneTime), or leave the time out.',
      cause: expect.objectContaining({ field: 'runOnceAt' }) as unknown,
    };
    const base = { orgId: s.orgId, syncId: s.sync.id, ...s.input };
    await expect(
      s.api.synchronisations.update({ ...base, oneTime: false, runOnceAt: at }),
    ).rejects.toMatchObject(refusal);
    await expect(s.api.synchronisations.update({ ...base, runOnceAt: at })).rejects.toMatchObject(refusal);
    // As the form sends it with the box unticked: no time.
    const saved = await s.api.synchronisations.update({ ...base, oneTime: false, runOnceAt: null });
    expect(saved).toMatchObject({ oneTime: false, runOnceAt: null });
  });
});
