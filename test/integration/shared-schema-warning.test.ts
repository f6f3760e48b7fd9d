// Two enabled synchronisations writing into one register schema duplicate objects: saving the second
// warns (never refuses), naming the first, on the form and the synchronisation's page alike
// (services/shared-schema.ts). Moved from record-history.test.ts, whose runs it does not need.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { people, restToRegister } from './helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(5) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('two synchronisations into one schema', () => {
  it('warns when saving the second, naming the first, and not when saving the first alone', async () => {
    const edited = await s.api.synchronisations.update({ orgId: s.orgId, syncId: s.sync.id, ...s.input });
    expect(edited.warnings).toEqual([]);
    const second = await s.api.synchronisations.create({
      orgId: s.orgId,
      ...s.input,
      name: 'More people into the directory',
    });
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toMatchObject({
      field: 'targetSchemaId',
      others: [{ id: s.sync.id, name: s.sync.name }],
    });
    expect(second.warnings[0]!.message).toContain(
      `“${s.sync.name}” also writes into the schema Directory › Person`,
    );
    expect(second.warnings[0]!.message).toMatch(/twice/);
    // The same warning for the form and the synchronisation's page, before and after saving.
    const shown = await s.api.history.schemaWarning({
      orgId: s.orgId,
      schemaId: s.schema.id,
      exceptSyncId: second.id,
    });
    expect(shown).toEqual(second.warnings[0]);
    // Disabled, it duplicates nothing: no warning.
    const disabled = await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: second.id,
      ...s.input,
      name: 'More people into the directory',
      enabled: false,
    });
    expect(disabled.warnings).toEqual([]);
    expect(
      await s.api.history.schemaWarning({ orgId: s.orgId, schemaId: s.schema.id, exceptSyncId: s.sync.id }),
    ).toBeNull();
  });
});
