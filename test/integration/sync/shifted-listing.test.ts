// A REST source pages over a list that shifts while it is read (an object deleted or added at the
// source meanwhile, or an unstable sort): page 2 starts with the last object of page 1 again, and the
// object that should have ended it is on no page. Before, the repeat was counted invalid and the
// listing complete: the object no page held was deleted from the register, though the source still
// holds it — by a pull, and by a two-way run too. Now an id that an earlier page of the same full
// listing already held makes that listing not complete enough to delete by: nothing is deleted, the run
// says why, and the next run, reading a steady source, deletes as usual.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects } from '../helpers/sync-more';
import { people, restToRegister, runDirect } from '../helpers/sync-setup';
import { restTwoWayIn } from '../two-way/setup';
import { json, startServer, type TestServer } from './http/server';

let db: TestDatabase;
let peer: TestServer;
let list = people(30);
let shifted = false;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startServer((request, res) => {
    const page = Number(new URL(request.url, peer.origin).searchParams.get('page') ?? 1);
    // Shifted: page 2 holds persons 10 to 19, so person 20 is listed nowhere.
    const from = shifted && page === 2 ? 9 : (page - 1) * 10;
    const more = page * 10 < list.length;
    const link: Record<string, string> = more
      ? { link: `<${peer.origin}/people?page=${page + 1}>; rel="next"` }
      : {};
    json(
      res,
      200,
      list.slice(from, from + 10).map((p) => ({ ...p, city: p.address.city })),
      link,
    );
  });
});
beforeEach(() => {
  list = people(30);
  shifted = false;
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

async function synchronisation(direction: 'one-way' | 'two-way') {
  if (direction === 'one-way') {
    const s = await restToRegister(db.db, peer.origin, { sourceEndpoint: '/people', sourceConfig: {} });
    return {
      run: () => runDirect(db.db, s.orgId, s.sync.id),
      api: s.api,
      orgId: s.orgId,
      schemaId: s.schema.id,
    };
  }
  const owner = await createOwner(db.db);
  const api = callerFor(db.db, owner.user);
  const s = await restTwoWayIn(db.db, api, owner.org.id, peer.origin);
  return { run: () => s.run(), api, orgId: s.orgId, schemaId: s.schema.id };
}

describe('a listing that shifted while it was read', () => {
  for (const direction of ['one-way', 'two-way'] as const)
    it(`deletes nothing (${direction}), says why, and the next steady listing deletes as usual`, async () => {
      const s = await synchronisation(direction);
      const live = async () => (await liveObjects(db.db, s.schemaId)).map((o) => o.data['name']);
      expect(await s.run()).toMatchObject({ result: 'success', created: 30 });

      shifted = true;
      const run = await s.run();
      expect(run).toMatchObject({ result: 'warning', complete: true, invalid: 1, deleted: 0, held: 0 });
      expect(run.message).toMatch(/listed on two pages/);
      expect(await live()).toContain('Person 20');
      const { rows } = await s.api.runs.entries({ orgId: s.orgId, runId: run.id });
      expect(rows).toContainEqual(
        expect.objectContaining({
          action: 'invalid',
          originId: '10',
          reason: expect.stringMatching(/Duplicate id "10"/) as string,
        }),
      );

      shifted = false;
      list = list.filter((p) => p.id !== 25);
      expect(await s.run()).toMatchObject({ result: 'success', complete: true, deleted: 1 });
      expect(await live()).toContain('Person 20');
      expect(await live()).not.toContain('Person 25');
    });

  it('says in the message of a one-way run what it saw and why it deleted nothing', async () => {
    const s = await synchronisation('one-way');
    await s.run();
    shifted = true;
    expect((await s.run()).message).toContain(
      '1 object is no longer listed, but 1 object was listed on two pages of this listing, so the listing may have shifted while it was read and left that object out: Concord deleted nothing',
    );
  });
});
