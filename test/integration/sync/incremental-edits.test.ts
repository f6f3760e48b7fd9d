// Which edits of an incremental synchronisation make its next run list everything. Editing its cron
// schedule (through the form's API) or its name (through /api/v1, as a program would), or when its full
// reconciliations come, changes neither what it reads nor what it writes: the next run still asks
// json-server only for changes since the cursor. An edit of how it reads (the lookback of its changes
// query) does: the next run is a full reconciliation, and the peer is asked for everything again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, useDatabase } from '../api-v1/client';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { PERSON_MAPPING, people, restToRegister, runDirect } from '../helpers/sync-setup';

const T0 = '2024-05-01T10:00:00.000Z';
const INCREMENTAL = { field: 'updatedAt', query: 'updatedAt_gte={{cursor}}', lookbackSeconds: 0 };
const minutesAfter = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let rest: ReturnType<typeof apiClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  // A minute apart, the last at T0: the cursor after the first run is T0, and only person 30 holds it.
  const spread = people(30).map((person, i) => ({ ...person, updatedAt: minutesAfter(i - 29) }));
  peer = await startJsonServer({ people: spread });
  s = await restToRegister(db.db, peer.url, {
    sourceEndpoint: '/people?_page=1&_limit=10&_sort=updatedAt,id',
    sourceConfig: { pagination: { kind: 'link-header' }, incremental: INCREMENTAL },
    scheduleCron: '0 * * * *',
  });
  rest = apiClient((await s.api.apiKeys.create({ orgId: s.orgId, name: 'ci', scopes: ['admin'] })).key);
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

/** The listing requests json-server received since the last call, decoded. */
async function listings(): Promise<string[]> {
  const seen = (await peer.requests()).filter((r) => r.method === 'GET' && r.url.startsWith('/people'));
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
  return seen.map((r) => decodeURIComponent(r.url));
}
const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });
/** One person changes at the peer, a minute later than the last change. */
let minute = 0;
async function changeOne() {
  minute += 1;
  const updatedAt = minutesAfter(minute);
  await fetch(`${peer.url}/people/${minute}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Person changed ${minute}`, updatedAt }),
  });
  return updatedAt;
}
/**
 * A run after one change: it must ask only for changes from `cursor` (one request), read the object at
 * the cursor again (unchanged) and the changed one, and move the cursor to the change's time.
 */
async function expectIncremental(cursor: string) {
  const changedAt = await changeOne();
  await listings();
  const run = await runDirect(db.db, s.orgId, s.sync.id);
  expect(run).toMatchObject({
    result: 'success',
    listing: 'incremental',
    found: 2,
    updated: 1,
    skipped: 1,
    pagesFetched: 1,
  });
  expect(await listings()).toEqual([expect.stringContaining(`updatedAt_gte=${cursor}`)]);
  expect(await state()).toMatchObject({ cursor: changedAt });
  return changedAt;
}

describe('editing an incremental synchronisation', () => {
  let cursor = T0;

  it('takes a cursor in its first run', async () => {
    await listings();
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ listing: 'full', created: 30 });
    expect(await listings()).toHaveLength(3);
    expect(await state()).toMatchObject({ cursor: T0 });
  });

  it('stays incremental after only its schedule is edited', async () => {
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      scheduleCron: '30 2 * * *',
      scheduleTimezone: 'Europe/Amsterdam',
    });
    expect(await state()).toMatchObject({ cursor });
    cursor = await expectIncremental(cursor);
  });

  it('stays incremental after only its name and description are changed through /api/v1', async () => {
    const patched = await rest.PATCH('/synchronisations/{syncId}', {
      params: { path: { syncId: s.sync.id } },
      body: { name: 'People, renamed', description: 'Every person, as they change' },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data).toMatchObject({ name: 'People, renamed', scheduleCron: '30 2 * * *' });
    cursor = await expectIncremental(cursor);
  });

  it('stays incremental after only when its full reconciliations come is changed', async () => {
    const patched = await rest.PATCH('/synchronisations/{syncId}', {
      params: { path: { syncId: s.sync.id } },
      body: {
        sourceConfig: {
          pagination: { kind: 'link-header' },
          incremental: { ...INCREMENTAL, reconcileEveryRuns: 50, reconcileCron: '0 4 * * 0' },
        },
      },
    });
    expect(patched.response.status).toBe(200);
    cursor = await expectIncremental(cursor);
  });

  it('lists everything after an edit of how it reads its changes, and takes the cursor again', async () => {
    const patched = await rest.PATCH('/synchronisations/{syncId}', {
      params: { path: { syncId: s.sync.id } },
      body: {
        sourceConfig: {
          pagination: { kind: 'link-header' },
          incremental: { ...INCREMENTAL, lookbackSeconds: 600, reconcileEveryRuns: 50 },
        },
      },
    });
    expect(patched.response.status).toBe(200);
    // The page says so before the run: the next one is full, not one of 50.
    expect(await state()).toMatchObject({ cursor, runsUntilFull: 0 });
    await listings();
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', listing: 'full', found: 30 });
    expect(run.message).toMatch(
      /^Full reconciliation \(the settings, a mapping or the target schema changed/,
    );
    const asked = await listings();
    expect(asked).toHaveLength(3);
    expect(asked.join('\n')).not.toContain('updatedAt_gte');
    // Taken again from what the full listing read: the latest change.
    expect(await state()).toMatchObject({
      cursor: minutesAfter(minute),
      runsSinceFull: 0,
      runsUntilFull: 49,
    });
  });

  it('says its next run is full once its mapping is edited, and that run lists everything', async () => {
    await s.api.mappings.update({
      orgId: s.orgId,
      mappingId: s.mapping.id,
      config: { ...PERSON_MAPPING, cast: { city: 'uppercase' } },
    });
    expect(await state()).toMatchObject({ runsUntilFull: 0 });
    await listings();
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', listing: 'full', found: 30, updated: 30 });
    expect(await state()).toMatchObject({ runsSinceFull: 0, runsUntilFull: 49 });
  });
});
