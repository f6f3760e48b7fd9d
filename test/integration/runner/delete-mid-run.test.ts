// Deleting a synchronisation while its run is under way stops the run before its next step, as a
// cancellation does: nothing more is written for a synchronisation that no longer exists.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { objects, ofSchema, runs } from '@/server/db/schema';
import { cancellable, RunCancelledError } from '@/server/runner/cancellation';
import { durableStep } from '@/server/runner/durable-step';
import { requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { executeToCompletion } from '@/server/sync/run/execute';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, people, restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(45) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

it('writes nothing more once its synchronisation is deleted mid-run', async () => {
  const s = await restToRegister(db.db, peer.url);
  const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
  const inner = cancellable(db.db, run.id, durableStep(db.db, run.id));
  // A person deletes the synchronisation while page 2 is being written (pages of 10).
  const step: StepRunner = {
    run: async (id, fn) => {
      if (id === 'page-3') await s.api.synchronisations.delete({ orgId: s.orgId, syncId: s.sync.id });
      return inner.run(id, fn);
    },
  };
  const ended = await executeToCompletion(db.db, run.id, step, {
    urlPolicy: { allowPrivateNetworks: true },
    http: FAST_HTTP,
  }).catch((error: unknown) => error);
  expect(ended).toBeInstanceOf(RunCancelledError);
  // The two pages written before stay in the register; page 3 and on were not written.
  expect(await db.db.select().from(objects).where(ofSchema(s.schema.id))).toHaveLength(20);
  expect(await db.db.select().from(runs).where(eq(runs.id, run.id))).toEqual([]);
});
