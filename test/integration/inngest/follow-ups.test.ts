// Follow-ups when scaled: the run-sync Inngest function (on @inngest/test) finishes a run whose
// synchronisation has a follow-up; the follow-up's run is queued with the parent's mode and its event is
// sent once, from a step, so a replay sends nothing twice.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from '@/server/db/schema';
import { requestRun } from '@/server/services/runs';
import type * as RunSyncModule from '@/inngest/functions/run-sync';
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
  peer = await startJsonServer({ people: people(3) });
  shared = await useDatabaseFile(db.file);
  ({ runSyncFunction } = await import('@/inngest/functions/run-sync'));
});
afterAll(async () => {
  shared?.close();
  await peer?.stop();
  await db?.close();
});

describe('run-sync with a follow-up', () => {
  it('queues the follow-up in the same mode and sends its event from a step', async () => {
    const a = await restToRegister(db.db, peer.url, { name: 'A' });
    const b = await a.api.synchronisations.create({ orgId: a.orgId, ...a.input, name: 'B' });
    await a.api.synchronisations.update({
      orgId: a.orgId,
      syncId: a.sync.id,
      ...a.input,
      name: 'A',
      followUpIds: [b.id],
    });
    const { run } = await requestRun(db.db, a.orgId, a.sync.id, { trigger: 'manual', force: true });
    const { engine, recorder } = recordingEngine(
      runSyncFunction,
      { name: 'sync/run.requested', data: { runId: run.id, syncId: a.sync.id } },
      { mocked: { 'dispatch-follow-ups': () => ({ ids: ['evt_follow_up'] }) } },
    );
    const out = await engine.execute();
    expect(out.error).toBeUndefined();

    const [queued] = await db.db.select().from(runs).where(eq(runs.synchronisationId, b.id));
    expect(queued).toMatchObject({
      status: 'queued',
      trigger: 'follow-up',
      force: true,
      test: false,
      requestedByRunId: run.id,
    });
    expect(recorder.executed).toContain('follow-ups');
    expect(recorder.sent.get('dispatch-follow-ups')).toEqual([
      { name: 'sync/run.requested', data: { runId: queued!.id, syncId: b.id } },
    ]);
  });
});
