// A deletion that stops half-way (the process dies after the contracts went, before the organisation's
// row did) leaves its synchronisations switched off: run again without the contracts that say what a
// target already holds, they would send every object to it again as new.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deleteOrganisation } from '@/server/services/organisation-delete';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(12) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

it('switches its synchronisations off before the contracts go', async () => {
  const s = await restToRegister(db.db, peer.url);
  expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ created: 12 });
  // The organisation's row cannot go: as if the process had died just before.
  await db.client.execute(`CREATE TRIGGER stop_here BEFORE DELETE ON organisations
    BEGIN SELECT RAISE(ABORT, 'the process died'); END`);
  await expect(deleteOrganisation(db.db, s.orgId, s.owner.org.name)).rejects.toThrow();
  await db.client.execute('DROP TRIGGER stop_here');

  expect(await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id })).toMatchObject({
    enabled: false,
  });
  const contracts = await db.client.execute('SELECT count(*) AS n FROM contracts');
  expect(Number(contracts.rows[0]?.n)).toBe(0);
  // Asked again, it finishes.
  await deleteOrganisation(db.db, s.orgId, s.owner.org.name);
  const left = await db.client.execute('SELECT count(*) AS n FROM synchronisations');
  expect(Number(left.rows[0]?.n)).toBe(0);
});
