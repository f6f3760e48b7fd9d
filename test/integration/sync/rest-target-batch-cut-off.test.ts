// A REST target's batch endpoint that makes a batch of creates and loses its answer: the connection closes
// before the answer leaves (test/fixtures/batch-target `cutOff`). The batch is not sent again at once — the
// target ignores Idempotency-Key, so that would be a second copy of each — nor is the run taken for an
// outage ("nothing was created"): each object failed and may have been created, and the next run looks
// each up by the match field and links it, sending nothing again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { startBatchTarget, type BatchTarget } from '../helpers/batch-target';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

const BATCHED: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  batch: { createEndpoint: '/people/batch', itemsKey: 'items', resultsPath: 'results', size: 20 },
  match: { field: 'email' },
};

let db: TestDatabase;
let A: JsonServer;
let B: BatchTarget;
beforeAll(async () => {
  db = await createTestDatabase();
  [A, B] = await Promise.all([startJsonServer({ people: people(3) }), startBatchTarget()]);
});
afterAll(async () => {
  await Promise.all([A?.stop(), B?.stop()]);
  await db?.close();
});

describe('a batch of creates whose answer was lost', () => {
  it('is not sent again at once nor taken for an outage; the next run links what the target made', async () => {
    const s = await restToRest(db.db, A.url, B.url, BATCHED);
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
    const batches = async () =>
      (await B.requests())
        .filter((r) => r.method === 'POST' && r.url === '/people/batch')
        .map((r) => r.count);
    await B.cutOff(1);

    const first = await run();
    expect(first).toMatchObject({ status: 'finished', result: 'error', created: 0, failed: 3 });
    expect(first.message).not.toContain('could not be reached');
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: first.id });
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(entry.reason).toContain('The request had been sent, so the object may have been created there.');
      expect(entry.reason).toContain('The next run looks for it by its match field `email`');
    }
    // One batch, made once.
    expect(await batches()).toEqual([3]);
    const made = await B.people();
    expect(made).toHaveLength(3);

    const second = await run();
    expect(second).toMatchObject({ result: 'success', failed: 0 });
    expect(await batches()).toEqual([3]);
    expect(await B.people()).toEqual(made);
    const contracts = (await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 10 })).rows;
    expect(contracts.map((c) => c.status)).toEqual(['synced', 'synced', 'synced']);
    expect(contracts.map((c) => c.targetId).sort()).toEqual(made.map((p) => String(p['id'])).sort());
  });
});
