// A run that stops by throwing (the target down: nothing could be written) ends as an error like any
// other: its log names the follow-ups it did not start, and a one-time synchronisation has had its run
// and disables itself, as after a run that ended in error by itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { endThrownRun, executeEmbedded } from '@/server/runner/embedded';
import { loadRun, requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { PEOPLE_TARGET, restToRest } from '../helpers/sync-more';
import { FAST_HTTP, people } from '../helpers/sync-setup';

let db: TestDatabase;
let A: JsonServer;
let B: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  A = await startJsonServer({ people: people(5) });
  B = await startJsonServer({ people: [] });
  await B.down();
});
afterAll(async () => {
  await A.stop();
  await B.stop();
  await db.close();
});

/** The run as the embedded runner executes and ends it. */
async function runToItsEnd(orgId: string, syncId: string) {
  const { run } = await requestRun(db.db, orgId, syncId, { trigger: 'schedule' });
  const options = { urlPolicy: { allowPrivateNetworks: true }, http: FAST_HTTP };
  await executeEmbedded(db.db, run.id, options).catch((error: unknown) =>
    endThrownRun(db.db, run.id, error, () => {}),
  );
  return loadRun(db.db, orgId, run.id);
}

it('names the follow-ups it did not start when the target was down', async () => {
  const s = await restToRest(db.db, A.url, B.url, PEOPLE_TARGET);
  const report = await s.api.synchronisations.create({ orgId: s.orgId, ...s.input, name: 'Report' });
  await s.api.synchronisations.update({
    orgId: s.orgId,
    syncId: s.sync.id,
    ...s.input,
    followUpIds: [report.id],
  });
  const failed = await runToItsEnd(s.orgId, s.sync.id);
  expect(failed).toMatchObject({ status: 'finished', result: 'error' });
  expect(failed.message).toMatch(/^The run stopped: The target could not be reached/);
  expect(failed.message).toContain('Follow-ups not started, as the run ended in error: “Report”.');
});

it('disables a one-time synchronisation whose run failed because the target was down', async () => {
  const s = await restToRest(db.db, A.url, B.url, PEOPLE_TARGET, { oneTime: true });
  const failed = await runToItsEnd(s.orgId, s.sync.id);
  expect(failed).toMatchObject({ status: 'finished', result: 'error' });
  expect(failed.message).toContain('This one-time synchronisation is now disabled.');
  const sync = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });
  expect(sync.enabled).toBe(false);
  expect(sync.disabledReason).toMatch(/^One-time synchronisation: it ran once on .* \(run .*, error\)/);
});
