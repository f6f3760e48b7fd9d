// An incremental synchronisation into a register schema that refuses two people (no email, which the
// schema requires): once the person relaxes the schema, those two must arrive, as they would in a
// synchronisation that lists everything every run (an invalid object is always tried again). The cursor
// has passed them, so an edit of the target schema makes the next run a full reconciliation, and the
// page says so beforehand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { liveObjects } from '../helpers/sync-more';
import {
  INCREMENTAL_BY_UPDATED_AT,
  people,
  PERSON_SCHEMA,
  restToRegister,
  runDirect,
} from '../helpers/sync-setup';

const T0 = '2024-05-01T10:00:00.000Z';
const minutesBefore = (minutes: number) => new Date(Date.parse(T0) - minutes * 60_000).toISOString();

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  // People 1 and 2 have no email; the last one changed at T0.
  const listed = people(5).map((person, i) => ({
    ...person,
    ...(i < 2 ? { email: undefined } : {}),
    updatedAt: minutesBefore(4 - i),
  }));
  peer = await startJsonServer({ people: listed });
  s = await restToRegister(db.db, peer.url, {
    sourceConfig: INCREMENTAL_BY_UPDATED_AT,
  });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });

describe('an incremental synchronisation whose target schema is edited', () => {
  it('brings the objects the schema refused once it accepts them', async () => {
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      listing: 'full',
      created: 3,
      invalid: 2,
    });
    expect(await state()).toMatchObject({ cursor: T0, runsUntilFull: null });

    await s.api.registers.updateSchema({
      orgId: s.orgId,
      schemaId: s.schema.id,
      jsonSchema: { ...PERSON_SCHEMA, required: ['name'] },
    });
    expect(await state()).toMatchObject({ runsUntilFull: 0 });
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ listing: 'full', result: 'success', created: 2, invalid: 0 });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(5);
    expect(await state()).toMatchObject({ cursor: T0, runsUntilFull: null });
  });
});
