// An incremental REST run that the API answers with no objects at all (nothing changed since the cursor,
// the one object at the cursor deleted): the cursor stays, and the log says nothing changed — not that
// the objects lack a value in the updated-at field, which would send the person to fix a setting that is
// right. Objects read without the field are told apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { INCREMENTAL_BY_UPDATED_AT, people, restToRegister, runDirect } from '../helpers/sync-setup';

const T0 = '2024-05-01T10:00:00.000Z';
const EARLIER = '2024-05-01T09:00:00.000Z';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  const [first, second, third] = people(3);
  peer = await startJsonServer({
    people: [
      { ...first, updatedAt: EARLIER },
      { ...second, updatedAt: T0 },
      // Never given an updated-at value by the API.
      third,
    ],
  });
  s = await restToRegister(db.db, peer.url, {
    sourceConfig: INCREMENTAL_BY_UPDATED_AT,
  });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });

describe('an incremental run that reads nothing', () => {
  it('says nothing changed since the cursor, and keeps it', async () => {
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ listing: 'full', created: 3 });
    expect(await state()).toMatchObject({ cursor: T0 });
    await fetch(`${peer.url}/people/2`, { method: 'DELETE' });
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ listing: 'incremental', result: 'success', found: 0 });
    expect(run.message).toMatch(/The cursor stays where it was: the source answered no object\./);
    expect(run.message).not.toMatch(/had a value/);
    expect(await state()).toMatchObject({ cursor: T0 });
  });
});
