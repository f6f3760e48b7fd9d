// When a synchronisation runs next, and which run it ran last, as a program monitoring Concord reads
// them through /api/v1 — the list and one synchronisation, as the overview shows them. Neither is
// configuration: the ETag a program sends back with a change stays the same as the schedule moves on.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syncStates } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { requestDueRuns } from '@/server/runner/schedules';
import { byId, closeSyncApi, openSyncApi, type SyncApi } from './sync-api';

let fx: SyncApi;
beforeAll(async () => {
  fx = await openSyncApi();
});
afterAll(() => closeSyncApi(fx));

it('shows the next run time and the last run, neither moving the ETag', async () => {
  const { api, pull, db } = fx;
  const created = await api.POST('/synchronisations', {
    body: {
      ...pull,
      name: 'People, hourly',
      scheduleCron: '0 * * * *',
      scheduleTimezone: 'Europe/Amsterdam',
    },
  });
  const syncId = created.data!.id;
  const first = await api.GET('/synchronisations/{syncId}', byId(syncId));
  const next = Date.parse(first.data!.nextRunAt!);
  expect(next).toBeGreaterThan(Date.now());
  expect(next - Date.now()).toBeLessThanOrEqual(3_600_000);
  expect(new Date(next).getUTCMinutes()).toBe(0);
  expect(first.data).toMatchObject({ lastRunId: null, lastRunAt: null, lastResult: null });
  const listed = await api.GET('/synchronisations', { params: { query: { limit: 200 } } });
  expect(listed.data!.items.find((i) => i.id === syncId)).toMatchObject({ nextRunAt: first.data!.nextRunAt });

  // Its time comes: the ticker runs it and moves the time on.
  await db.db
    .update(syncStates)
    .set({ nextRunAt: new Date(Date.now() - 1000) })
    .where(eq(syncStates.synchronisationId, syncId));
  const [runId] = await requestDueRuns(db.db);
  await embeddedRunnerFor(db.db).idle();
  const after = await api.GET('/synchronisations/{syncId}', byId(syncId));
  expect(after.data).toMatchObject({ lastRunId: runId, lastResult: 'success' });
  expect(Date.parse(after.data!.lastRunAt!)).toBeGreaterThan(Date.now() - 60_000);
  expect(Date.parse(after.data!.nextRunAt!)).toBeGreaterThan(Date.now());
  // The ETag read before the run still changes the configuration.
  const etag = first.response.headers.get('etag')!;
  expect(after.response.headers.get('etag')).toBe(etag);
  const patched = await api.PATCH('/synchronisations/{syncId}', {
    ...byId(syncId),
    headers: { 'if-match': etag },
    body: { name: 'People, every hour' },
  });
  expect(patched.response.status).toBe(200);

  // Switched off, it runs at no time.
  await api.POST('/synchronisations/{syncId}/disable', byId(syncId));
  const off = await api.GET('/synchronisations/{syncId}', byId(syncId));
  expect(off.data!.nextRunAt).toBeNull();
});
