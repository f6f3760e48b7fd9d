// The timeline shows the retries a page's writes needed, not only its reads: a target that answers a
// POST with 503 before it takes the object (and a PUT likewise) leaves a line per retry naming the write,
// its status and why — where the run would otherwise just look slow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
  updateMethod: 'PUT',
};

let db: TestDatabase;
let A: JsonServer;
let B: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  A = await startJsonServer({ people: people(12) });
  B = await startJsonServer({ people: [] });
});
afterAll(async () => {
  await A.stop();
  await B.stop();
  await db.close();
});

describe('a target that answers a write with 503 before it takes it', () => {
  it('shows each retried write in the timeline, after the page it belongs to', async () => {
    const s = await restToRest(db.db, A.url, B.url, TARGET);
    // Person 3 (page 1) and person 12 (page 2): their POSTs are answered 503 once, then taken.
    await B.faults([
      { path: '/people', method: 'POST', status: 503, body: 'busy', times: 1, whenBodyHas: 'person3@' },
      { path: '/people', method: 'POST', status: 503, body: 'busy', times: 1, whenBodyHas: 'person12@' },
    ]);
    const run = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(run).toMatchObject({ result: 'success', created: 12, failed: 0 });
    expect(B.read().people).toHaveLength(12);

    const { rows } = await s.api.runs.timeline({ orgId: s.orgId, runId: run.id, pageSize: 100 });
    const retries = rows.filter((l) => l.kind === 'retry');
    expect(retries.map((l) => [l.page, l.status, l.data?.['write'], l.data?.['attempt']])).toEqual([
      [1, 503, true, 1],
      [2, 503, true, 1],
    ]);
    expect(retries[0]?.detail).toMatch(/^POST for 3: .*503/);
    expect(retries[1]?.detail).toMatch(/^POST for 12: .*503/);
    // Each after its page's read.
    const order = rows.map((l) => `${l.kind}:${l.page ?? ''}`);
    expect(order.indexOf('retry:1')).toBeGreaterThan(order.indexOf('page:1'));
    expect(order.indexOf('retry:2')).toBeGreaterThan(order.indexOf('page:2'));
  });
});
