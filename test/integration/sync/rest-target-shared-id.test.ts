// A REST target that answers every create with the same id — an asynchronous API naming its job
// (`{"id": "job-1", "status": "queued"}`), or an id path that points at something all answers share.
// Before, every object was linked to that one id: their updates all went to it, overwriting each other,
// and the deletion of any one of them deleted it for all. Now an id the target gave two objects, or one
// another object's contract already holds, is not linked: the create counts failed, saying which object
// has the id and to check the id path, and it is not sent again blindly (it may exist there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';
import { json, startServer, type TestServer } from './http/server';

let db: TestDatabase;
let A: JsonServer;
let B: TestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  A = await startJsonServer({ people: people(3) });
  B = await startServer((request, res) =>
    json(res, request.method === 'POST' ? 201 : 200, { id: 'job-1', status: 'queued' }),
  );
});
afterAll(async () => {
  await A.stop();
  await B.close();
  await db.close();
});

const TARGET = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
};

describe('a target that answers every create with the same id', () => {
  it('links no object to it, says why, and does not send them again blindly', async () => {
    const s = await restToRest(db.db, A.url, B.origin, TARGET);
    const first = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(first).toMatchObject({ result: 'error', created: 0, failed: 3 });
    const { rows: contracts } = await s.api.contracts.list({
      orgId: s.orgId,
      syncId: s.sync.id,
      pageSize: 10,
    });
    expect(contracts.map((c) => c.targetId)).toEqual([null, null, null]);
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: first.id });
    expect(entries.find((e) => e.originId === '1')?.reason).toMatch(
      /^The target answered the create with the id "job-1", which it also gave object "2": Concord does not link two objects to one target object .*Check that the id path `id` names the new object's own id\. The object may have been created there\./,
    );

    const posts = B.seen.filter((r) => r.method === 'POST').length;
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ created: 0, failed: 0 });
    expect(B.seen.filter((r) => r.method === 'POST').length).toBe(posts);
    expect(B.seen.filter((r) => r.method !== 'POST')).toEqual([]);
  });

  it('does not link a later object to an id an earlier object holds', async () => {
    const s = await restToRest(db.db, A.url, B.origin, TARGET, { sourceEndpoint: '/people?id=1' });
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ created: 1 });
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      sourceEndpoint: '/people?id=2',
      deleteMode: 'none',
    });
    const second = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(second).toMatchObject({ created: 0, failed: 1 });
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: second.id });
    expect(entries[0]?.reason).toContain(
      'The target answered the create with the id "job-1", which object "1" already holds',
    );
  });
});
