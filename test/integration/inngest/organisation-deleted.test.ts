// run-sync on @inngest/test, its organisation deleted while the run reads: the next step does not
// start (the run's row is gone: executeRun finds nothing to execute, and cancellable stops a step) and nothing more is written or asked of the
// source — the embedded runner's case is organisations/organisation-delete.test.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type * as RunSyncModule from '@/inngest/functions/run-sync';
import { deleteOrganisation } from '@/server/services/organisation-delete';
import { requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

let db: TestDatabase;
let peer: JsonServer;
let shared: { close: () => void };
let runSyncFunction: typeof RunSyncModule.runSyncFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  shared = await useDatabaseFile(db.file);
  ({ runSyncFunction } = await import('@/inngest/functions/run-sync'));
  peer = await startJsonServer({ people: people(45) });
});
afterAll(async () => {
  shared?.close();
  await peer?.stop();
  await db?.close();
});

it('stops before the next step once the organisation is deleted, writing nothing more', async () => {
  const s = await restToRegister(db.db, peer.url);
  const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
  const event = { name: 'sync/run.requested', data: { runId: run.id, syncId: s.sync.id } };
  const { engine, recorder } = recordingEngine(runSyncFunction, event, {
    around: async (id, body) => {
      const result = await body();
      if (id === 'page-1') await deleteOrganisation(db.db, s.orgId, s.owner.org.name);
      return result;
    },
  });
  const out = await engine.execute();
  // Called again for its next step, the function finds no run to execute and ends.
  expect(out.error).toBeUndefined();
  expect(out.result).toEqual({ runId: run.id, outcome: 'skipped' });
  expect(recorder.executed).toEqual(['page-1']);
  const asked = (await peer.requests()).map((r) => r.url);
  expect(asked.some((url) => url.includes('_page=4'))).toBe(false);
  for (const table of ['runs', 'contracts', 'objects', 'run_entries', 'run_steps', 'page_memos'])
    expect(Number((await db.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n), table).toBe(0);
});
