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
    await db.db
      .update(syncStates)
      .set({ nextRunAt: new Date('2026-03-28T01:30:00Z') })
      .where(eq(syncStates.synchronisationId, s.sync.id));
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
    await db.db
      .update(syncStates)
      .set({ nextRunAt: new Date('2026-10-24T00:30:00Z') })
      .where(eq(syncStates.synchronisationId, s.sync.id));
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
    await db.db
      .update(syncStates)
      .set({ nextRunAt: new Date('2026-10-25T00:30:00Z') })
      .where(eq(syncStates.synchronisationId, s.sync.id));
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
