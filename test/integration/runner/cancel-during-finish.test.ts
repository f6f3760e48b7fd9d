// A person cancels a run at the last moment: after the executor checked the run before its `finish`
// step, while that step records the result. The cancellation the person was answered stands: the run is
// not turned into a finished one behind it (no result, no "last run" of the synchronisation).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syncStates } from '@/server/db/schema';
import { cancellable } from '@/server/runner/cancellation';
import { requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { executeRun } from '@/server/sync/run/execute';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(3) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

it('keeps a run cancelled while its finish step was under way', async () => {
  const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
  const plain: StepRunner = { run: (_id, fn) => fn() };
  const checked = cancellable(db.db, run.id, plain);
  // The person's Cancel lands just after the check that lets the finish step start.
  const step: StepRunner = {
    run: (id, fn) =>
      checked.run(id, async () => {
        if (id === 'finish') await s.api.runs.cancel({ orgId: s.orgId, runId: run.id });
        return fn();
      }),
  };
  await executeRun(db.db, run.id, step, { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP });

  const after = await s.api.runs.get({ orgId: s.orgId, runId: run.id });
  expect(after).toMatchObject({
    status: 'cancelled',
    message: 'Cancelled by a person. Nothing more was written or deleted.',
  });
  const [state] = await db.db.select().from(syncStates).where(eq(syncStates.synchronisationId, s.sync.id));
  expect(state?.lastRunId ?? null).not.toBe(run.id);
});
