// When a schedule runs, as an organisation sees it over days: a schedule that can never come or that
// Concord cannot keep is refused when saved (not shown as "On demand"), and the nights the clocks
// change run a daily synchronisation once, whenever the ticker happens to look.
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, syncStates } from '@/server/db/schema';
import { requestDueRuns } from '@/server/runner/schedules';
import { cancelRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(3) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

/** Where the ticker stands for this synchronisation, as a previous tick (or a save) left it. */
async function nextRunSetTo(syncId: string, at: Date, reconcileAt?: Date) {
  await db.db
    .update(syncStates)
    .set({ nextRunAt: at, ...(reconcileAt ? { nextReconcileAt: reconcileAt } : {}) })
    .where(eq(syncStates.synchronisationId, syncId));
}

async function refusal(cron: string): Promise<TRPCError> {
  const error = await restToRegister(db.db, peer.url, { scheduleCron: cron }).catch((e: unknown) => e);
  if (!(error instanceof TRPCError)) throw new Error(`"${cron}" was saved`);
  return error;
}

describe('saving a schedule', () => {
  it('refuses a schedule whose day never comes, instead of saving one that never runs', async () => {
    const error = await refusal('0 0 31 2 *');
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe(
      'The schedule "0 0 31 2 *" never comes: no date matches its day of the month, month and day of the week (such as 31 February). Choose a day that exists.',
    );
    // The form's preview says the same as you type.
    const { api, orgId } = await restToRegister(db.db, peer.url);
    await expect(
      api.synchronisations.describeSchedule({ orgId, cron: '0 0 30 2 *', timezone: 'UTC' }),
    ).rejects.toThrow(/never comes/);
  });

  it('refuses a seconds field, which the ticker cannot keep, saying to write five parts', async () => {
    const error = await refusal('*/10 * * * * *');
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^The schedule "\*\/10 \* \* \* \* \*" is not a valid cron expression: /);
    expect(error.message).toMatch(/it has six parts: Concord schedules by the minute, not the second/);
  });

  it('still takes the unusual but valid ones', async () => {
    for (const cron of ['*/15 * * * *', '0 8-18 * * 1-5', '0 6,18 * * *', '@daily', '0 0 29 2 *']) {
      const { sync } = await restToRegister(db.db, peer.url, { scheduleCron: cron });
      const [state] = await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, sync.id));
      expect(state!.nextRunAt!.getTime(), cron).toBeGreaterThan(Date.now());
    }
  });
});

describe('a daily 02:30 in Europe/Amsterdam on the nights the clocks change', () => {
  async function daily0230() {
    const s = await restToRegister(db.db, peer.url, {
      scheduleCron: '30 2 * * *',
      scheduleTimezone: 'Europe/Amsterdam',
    });
    const scheduled = () =>
      db.db
        .select()
        .from(runs)
        .where(and(eq(runs.synchronisationId, s.sync.id), eq(runs.trigger, 'schedule')));
    return { s, scheduled };
  }
  const nextRun = async (syncId: string) =>
    (await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, syncId)))[0]!.nextRunAt;

  /** The ticker from `from` to `to` every `stepMs`; each run it requests ends before the next tick. */
  async function tick(s: { orgId: string; sync: { id: string } }, from: Date, to: Date, stepMs: number) {
    const requestedAt: string[] = [];
    for (let t = from.getTime(); t <= to.getTime(); t += stepMs) {
      for (const runId of await requestDueRuns(db.db, new Date(t))) {
        const [run] = await db.db.select().from(runs).where(eq(runs.id, runId));
        if (run?.synchronisationId !== s.sync.id) continue;
        requestedAt.push(new Date(t).toISOString());
        await cancelRun(db.db, s.orgId, runId);
      }
    }
    return requestedAt;
  }

  it('runs once the night the clocks go forward, at 03:30 summer time as 02:30 does not exist', async () => {
    const { s } = await daily0230();
    // From the day before's run on, the ticker works the times out itself.
    await nextRunSetTo(s.sync.id, new Date('2026-03-28T01:30:00Z'));
    const requested = await tick(
      s,
      new Date('2026-03-28T01:30:00Z'),
      new Date('2026-03-29T05:00:00Z'),
      15 * 60_000,
    );
    expect(requested).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z']);
    expect(await nextRun(s.sync.id)).toEqual(new Date('2026-03-30T00:30:00Z'));
  });

  it('runs once the night the clocks go back, at the first 02:30', async () => {
    const { s } = await daily0230();
    await nextRunSetTo(s.sync.id, new Date('2026-10-24T00:30:00Z'));
    const requested = await tick(
      s,
      new Date('2026-10-24T00:30:00Z'),
      new Date('2026-10-25T05:00:00Z'),
      15 * 60_000,
    );
    expect(requested).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z']);
    expect(await nextRun(s.sync.id)).toEqual(new Date('2026-10-26T01:30:00Z'));
  });

  // 02:00–03:00 local comes twice: 00:00–01:00 UTC in summer time, then 01:00–02:00 UTC in winter time.
  it('catches a missed 02:30 up once when Concord starts in the repeated hour, then waits for the next day', async () => {
    const { s, scheduled } = await daily0230();
    // Concord was down over the first 02:30 and starts again at 02:10 winter time.
    await nextRunSetTo(s.sync.id, new Date('2026-10-25T00:30:00Z'));
    const requested = await tick(
      s,
      new Date('2026-10-25T01:10:00Z'),
      new Date('2026-10-25T02:00:00Z'),
      15_000,
    );
    expect(requested).toEqual(['2026-10-25T01:10:00.000Z']);
    expect(await scheduled()).toHaveLength(1);
    expect(await nextRun(s.sync.id)).toEqual(new Date('2026-10-26T01:30:00Z'));
  });
});

describe('catching up and coinciding schedules', () => {
  const stateOf = async (syncId: string) =>
    (await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, syncId)))[0]!;
  const scheduledRuns = (syncId: string) =>
    db.db
      .select()
      .from(runs)
      .where(and(eq(runs.synchronisationId, syncId), eq(runs.trigger, 'schedule')));

  it('runs an hourly schedule Concord was down for five hours once when it starts, not once per hour', async () => {
    const s = await restToRegister(db.db, peer.url, { scheduleCron: '0 * * * *' });
    await nextRunSetTo(s.sync.id, new Date('2026-06-01T04:00:00Z'));
    const now = new Date('2026-06-01T09:20:00Z');
    expect(await requestDueRuns(db.db, now)).toHaveLength(1);
    const [run] = await scheduledRuns(s.sync.id);
    await cancelRun(db.db, s.orgId, run!.id);
    expect(await requestDueRuns(db.db, new Date(now.getTime() + 15_000))).toEqual([]);
    expect((await stateOf(s.sync.id)).nextRunAt).toEqual(new Date('2026-06-01T10:00:00Z'));
  });

  it('keeps a time that is due but not yet ticked when an edit leaves the schedule as it was', async () => {
    const s = await restToRegister(db.db, peer.url, { scheduleCron: '0 * * * *' });
    // The hour's run is due; the ticker has not got to it (scaled mode's tick is a minute apart, or it
    // was not running) when someone corrects the description.
    const due = new Date(Date.now() - 30_000);
    await nextRunSetTo(s.sync.id, due);
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      description: 'Every hour, on the hour',
    });
    expect((await stateOf(s.sync.id)).nextRunAt).toEqual(due);
    await requestDueRuns(db.db);
    expect(await scheduledRuns(s.sync.id)).toHaveLength(1);
    // A new schedule is a new time, worked out from now.
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      scheduleCron: '0 6 * * *',
    });
    const next = (await stateOf(s.sync.id)).nextRunAt!;
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getUTCHours()).toBe(6);
  });

  it('runs the full reconciliation alone when it falls on a time of the regular schedule', async () => {
    const s = await restToRegister(db.db, peer.url, {
      scheduleCron: '0 * * * *',
      sourceConfig: {
        pagination: { kind: 'link-header' },
        incremental: { field: 'updatedAt', query: 'since={{cursor}}', reconcileCron: '0 3 * * *' },
      },
    });
    const at0300 = new Date('2026-06-01T03:00:00Z');
    await nextRunSetTo(s.sync.id, at0300, at0300);
    // The ticker looks at 03:00:05 and, the run ended, 15 seconds later.
    for (const seconds of [5, 20, 35]) {
      for (const runId of await requestDueRuns(db.db, new Date(at0300.getTime() + seconds * 1000)))
        await cancelRun(db.db, s.orgId, runId);
    }
    const requested = await scheduledRuns(s.sync.id);
    expect(requested.map((r) => r.listing)).toEqual(['full']);
    const state = await stateOf(s.sync.id);
    expect(state.nextRunAt).toEqual(new Date('2026-06-01T04:00:00Z'));
    expect(state.nextReconcileAt).toEqual(new Date('2026-06-02T03:00:00Z'));
  });
});
