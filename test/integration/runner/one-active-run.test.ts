// A synchronisation never runs twice at once: a request while one is queued or running gets that run
// back. Requests that arrive together — the schedule's tick as a person presses Run now, two people at
// once, an API client retrying — must not each queue a run of their own because each looked before the
// other had written: the second run would read and write everything again right after the first.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runs } from '@/server/db/schema';
import { requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(3) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

it('queues one run for requests that arrive at the same moment', async () => {
  const s = await restToRegister(db.db, peer.url);
  const asked = await Promise.all([
    requestRun(db.db, s.orgId, s.sync.id, { trigger: 'schedule' }),
    s.api.synchronisations.run({ orgId: s.orgId, syncId: s.sync.id }),
    requestRun(db.db, s.orgId, s.sync.id, { trigger: 'api' }),
    s.api.synchronisations.run({ orgId: s.orgId, syncId: s.sync.id }),
  ]);
  const queued = await db.db.select().from(runs).where(eq(runs.synchronisationId, s.sync.id));
  expect(queued).toHaveLength(1);
  // Everyone who asked is answered with that one run, and one of them queued it.
  const ids = asked.map((a) => ('runId' in a ? a.runId : a.run.id));
  expect(new Set(ids)).toEqual(new Set([queued[0]!.id]));
  expect(asked.filter((a) => !a.alreadyActive)).toHaveLength(1);
});

it('still lets a dry run go beside a queued run, once', async () => {
  const s = await restToRegister(db.db, peer.url);
  await Promise.all([
    requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' }),
    requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual', test: true }),
    requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual', test: true }),
    requestRun(db.db, s.orgId, s.sync.id, { trigger: 'schedule' }),
  ]);
  const queued = await db.db.select().from(runs).where(eq(runs.synchronisationId, s.sync.id));
  expect(queued.map((r) => r.test).sort()).toEqual([false, true]);
});
