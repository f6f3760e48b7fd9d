// An incremental synchronisation whose source is pointed somewhere else (the API moved to a new server,
// which also holds people the old one did not, changed long ago): the cursor was taken from what the old
// server held, so the next run must list everything at the new one, not only what changed there since.
// Only a change of where or how the source reads does this: renaming it keeps the cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { liveObjects } from '../helpers/sync-more';
import { INCREMENTAL_BY_UPDATED_AT, people, restToRegister, runDirect } from '../helpers/sync-setup';

const T0 = '2024-05-01T10:00:00.000Z';
const LONG_AGO = '2023-01-01T00:00:00.000Z';

let db: TestDatabase;
let before: JsonServer;
let after: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  before = await startJsonServer({ people: people(3).map((person) => ({ ...person, updatedAt: T0 })) });
  // The new server: the same three, and two more that changed long before the cursor.
  after = await startJsonServer({
    people: [
      ...people(3).map((person) => ({ ...person, updatedAt: T0 })),
      ...people(2, 4).map((person) => ({ ...person, updatedAt: LONG_AGO })),
    ],
  });
  s = await restToRegister(db.db, before.url, {
    sourceEndpoint: '/people?_page=1&_limit=10&_sort=updatedAt,id',
    sourceConfig: INCREMENTAL_BY_UPDATED_AT,
  });
});
afterAll(async () => {
  await before?.stop();
  await after?.stop();
  await db?.close();
});

const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });

describe('an incremental synchronisation whose source moves', () => {
  it('keeps its cursor when the source is only renamed, or saved unchanged', async () => {
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ listing: 'full', created: 3 });
    await s.api.sources.update({ orgId: s.orgId, sourceId: s.source.id, name: 'People API (old)' });
    // Saved again from its form, unchanged.
    await s.api.sources.update({ orgId: s.orgId, sourceId: s.source.id, config: { baseUrl: before.url } });
    expect(await state()).toMatchObject({ cursor: T0 });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ listing: 'incremental' });
  });

  it('lists everything at the new address, so nothing it held before the cursor is missed', async () => {
    await s.api.sources.update({ orgId: s.orgId, sourceId: s.source.id, config: { baseUrl: after.url } });
    expect(await state()).toMatchObject({ runsUntilFull: 0 });
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ listing: 'full', result: 'success', found: 5, created: 2 });
    expect(run.message).toMatch(
      /^Full reconciliation \(there is no cursor: none was taken yet, or it was reset\)/,
    );
    expect((await liveObjects(db.db, s.schema.id)).map((o) => o.data.name).sort()).toEqual([
      'Person 1',
      'Person 2',
      'Person 3',
      'Person 4',
      'Person 5',
    ]);
    expect(await state()).toMatchObject({ cursor: T0, runsUntilFull: null });
  });
});
