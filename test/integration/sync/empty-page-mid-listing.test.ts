// A REST source answers one page of its listing empty (200, `[]`) while its first page announced more
// objects (json-server's X-Total-Count). Before, the empty page ended a complete listing and every object
// on the pages after it was deleted — from the register by a pull, and by a two-way run too. Now the
// listing is incomplete: nothing is deleted, the run is a warning that says which page and why, and the
// next run of a healthy source is complete again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restTwoWayIn } from '../two-way/setup';

const six = () =>
  Array.from({ length: 6 }, (_, i) => ({ id: i + 1, name: `P${i + 1}`, email: `p${i + 1}@example.test` }));
const EMPTY_PAGE_2 = {
  path: '/people',
  page: 2,
  status: 200,
  body: [],
  headers: { 'content-type': 'application/json' },
};

let db: TestDatabase;
let peer: JsonServer | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
beforeEach(async () => {
  await peer?.stop();
  peer = await startJsonServer({ people: six() });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

describe('an empty page in the middle of a listing', () => {
  for (const direction of ['one-way', 'two-way'] as const)
    it(`deletes nothing (${direction}), says so, and the next healthy listing deletes as usual`, async () => {
      const owner = await createOwner(db.db);
      const api = callerFor(db.db, owner.user);
      const endpoint = '/people?_page=1&_limit=2';
      const deletions = { deleteMode: 'hard', deleteThreshold: 1 } as const;
      const s = await restTwoWayIn(db.db, api, owner.org.id, peer!.url, {}, deletions, { endpoint });
      if (direction === 'one-way')
        await api.synchronisations.update({
          orgId: s.orgId,
          syncId: s.sync.id,
          name: s.sync.name,
          sourceId: s.source.id,
          sourceEndpoint: endpoint,
          mappingId: s.mapping.id,
          targetType: 'register',
          targetRegisterId: s.register.id,
          targetSchemaId: s.schema.id,
          direction: 'one-way',
          ...deletions,
        });
      expect(await s.run()).toMatchObject({ result: 'success', created: 6 });

      await peer!.faults([EMPTY_PAGE_2]);
      const glitch = await s.run();
      expect(glitch).toMatchObject({ result: 'warning', complete: false, deleted: 0 });
      expect(glitch.message).toContain(
        'Page 2 was empty though the source announced 6 objects and 2 were listed',
      );
      expect(await s.registerObjects()).toHaveLength(6);
      expect(peer!.read()['people']).toHaveLength(6);

      await peer!.clearFaults();
      await fetch(`${peer!.url}/people/5`, { method: 'DELETE' });
      expect(await s.run()).toMatchObject({ result: 'success', complete: true, deleted: 1 });
      expect(await s.registerObjects()).toHaveLength(5);
    });
});
