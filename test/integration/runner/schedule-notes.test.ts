// What a scheduled run's log says of the schedule when a time was not kept on the dot: a run requested
// long after its time (Concord was down at 02:30 and ran it when it came back) says when it was due, and
// a time that came while the previous run was still going — which no run answers — is written on that
// run, with the time that will.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connections, runs, syncStates } from '@/server/db/schema';
import { requestDueRuns } from '@/server/runner/schedules';
import { requestRun } from '@/server/services/runs';
import { runTimeline } from '@/server/services/run-log';
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

async function hourlyInAmsterdam(extra: Record<string, unknown> = {}) {
  return restToRegister(db.db, peer.url, {
    scheduleCron: '0 * * * *',
    scheduleTimezone: 'Europe/Amsterdam',
    ...extra,
  });
}

async function dueAt(syncId: string, at: Date, reconcileAt?: Date) {
  await db.db
    .update(syncStates)
    .set({ nextRunAt: at, ...(reconcileAt ? { nextReconcileAt: reconcileAt } : {}) })
    .where(eq(syncStates.synchronisationId, syncId));
}

async function notes(orgId: string, runId: string) {
  const { rows } = await runTimeline(db.db, orgId, runId, { page: 1, pageSize: 100 });
  return rows.filter((r) => r.kind === 'schedule').map((r) => r.detail);
}

async function scheduledRuns(syncId: string) {
  return db.db
    .select()
    .from(runs)
    .where(and(eq(runs.synchronisationId, syncId), eq(runs.trigger, 'schedule')));
}

describe('a run requested late', () => {
  it('says when it was due and how late it came', async () => {
    const s = await hourlyInAmsterdam();
    // 02:00 Amsterdam on 7 December is 01:00 UTC; the ticker came back at 06:40 UTC.
    await dueAt(s.sync.id, new Date('2026-12-07T01:00:00Z'));
    await requestDueRuns(db.db, new Date('2026-12-07T06:40:00Z'));
    const [run] = await scheduledRuns(s.sync.id);
    expect(await notes(s.orgId, run!.id)).toEqual([
      'Due at 7 Dec 2026, 02:00 (Europe/Amsterdam) by the schedule, requested 5 h 40 min later: Concord was not running then, or could not start it. The times missed in between are this one run.',
    ]);
  });

  it('says nothing when the ticker came within a few minutes', async () => {
    const s = await hourlyInAmsterdam();
    await dueAt(s.sync.id, new Date('2026-12-07T01:00:00Z'));
    await requestDueRuns(db.db, new Date('2026-12-07T01:00:40Z'));
    const [run] = await scheduledRuns(s.sync.id);
    expect(await notes(s.orgId, run!.id)).toEqual([]);
  });
});

describe('a time that came while a run was going', () => {
  it('is written on the running run, with the next time', async () => {
    const s = await hourlyInAmsterdam();
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    await db.db.update(runs).set({ status: 'running', startedAt: new Date() }).where(eq(runs.id, run.id));
    await dueAt(s.sync.id, new Date('2026-12-07T09:00:00Z'));
    await requestDueRuns(db.db, new Date('2026-12-07T09:00:15Z'));
    expect(await scheduledRuns(s.sync.id)).toEqual([]);
    expect(await notes(s.orgId, run.id)).toEqual([
      'The schedule’s run due at 7 Dec 2026, 10:00 (Europe/Amsterdam) was not started: this run was still going, and a synchronisation runs once at a time. What changes at the source after this run read it waits for the next time, 7 Dec 2026, 11:00.',
    ]);
    // A tick asked again for the same time (a retried Inngest tick) writes it once.
    await dueAt(s.sync.id, new Date('2026-12-07T09:00:00Z'));
    await requestDueRuns(db.db, new Date('2026-12-07T09:00:30Z'));
    expect(await notes(s.orgId, run.id)).toHaveLength(1);
  });

  it('is not a skip when the run waiting is still queued: that run reads everything when it starts', async () => {
    const s = await hourlyInAmsterdam();
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    await dueAt(s.sync.id, new Date('2026-12-07T09:00:00Z'));
    await requestDueRuns(db.db, new Date('2026-12-07T09:00:15Z'));
    expect(await notes(s.orgId, run.id)).toEqual([]);
  });
});

describe('a connection’s schedule', () => {
  it('says the same on each member’s run', async () => {
    const s = await hourlyInAmsterdam();
    const found = await s.api.connections.discover({
      orgId: s.orgId,
      sourceId: s.source.id,
      endpoints: ['/people'],
    });
    if (!found.ok) throw new Error(found.reason);
    const type = found.types[0]!;
    const connection = await s.api.connections.create({
      orgId: s.orgId,
      name: 'Hourly',
      sourceId: s.source.id,
      types: [{ ...type, fields: [...type.fields], idField: 'id' }],
    });
    await s.api.connections.setSchedule({
      orgId: s.orgId,
      connectionId: connection.id,
      scheduleCron: '30 6 * * *',
      scheduleTimezone: 'UTC',
    });
    await db.db
      .update(connections)
      .set({ nextRunAt: new Date('2026-12-05T06:30:00Z') })
      .where(eq(connections.id, connection.id));
    const requested = await requestDueRuns(db.db, new Date('2026-12-07T07:00:00Z'));
    const status = await s.api.connections.get({ orgId: s.orgId, connectionId: connection.id });
    const [run] = await scheduledRuns(status.members[0]!.sync.id);
    expect(requested).toContain(run!.id);
    expect(await notes(s.orgId, run!.id)).toEqual([
      'Due at 5 Dec 2026, 06:30 (UTC) by the schedule, requested 2 days later: Concord was not running then, or could not start it. The times missed in between are this one run.',
    ]);
  });
});
