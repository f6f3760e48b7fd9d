// An incremental synchronisation on the run-sync Inngest function (@inngest/test, json-server with an
// updatedAt field, 25 people at 10 a page): the window is frozen in its own step before page 1, rides
// in the follow-on event with what the pages saw, so the follow-on freezes no other; the cursor is
// stored by the finish step, and the next run on Inngest reads incrementally from it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRun, requestRun } from '@/server/services/runs';
import type * as ExecuteModule from '@/server/sync/run/execute';
import type * as RunSyncModule from '@/inngest/functions/run-sync';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { recordingEngine, useDatabaseFile } from './helpers';

let pageBudget: number | undefined;
vi.doMock('@/server/sync/run/execute', async (importOriginal) => {
  const actual = await importOriginal<typeof ExecuteModule>();
  const executeRun: typeof actual.executeRun = (db, runId, step, options) =>
    actual.executeRun(db, runId, step, pageBudget === undefined ? options : { ...options, pageBudget });
  return { ...actual, executeRun };
});

const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

let db: TestDatabase;
let peer: JsonServer;
let shared: { close: () => void };
let runSyncFunction: typeof RunSyncModule.runSyncFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(25).map((p) => ({ ...p, updatedAt: at(p.id) })) });
  shared = await useDatabaseFile(db.file);
  ({ runSyncFunction } = await import('@/inngest/functions/run-sync'));
});
afterAll(async () => {
  shared?.close();
  await peer?.stop();
  await db?.close();
});

const requested = (data: Record<string, unknown>) => ({ name: 'sync/run.requested', data });

describe('run-sync of an incremental synchronisation', () => {
  it('freezes the window once, carries it into the follow-on, and stores the cursor at the end', async () => {
    const s = await restToRegister(db.db, peer.url, {
      sourceConfig: {
        pagination: { kind: 'link-header' },
        incremental: { field: 'updatedAt', query: 'updatedAt_gte={{cursor}}' },
      },
    });
    const syncId = s.sync.id;
    const { run } = await requestRun(db.db, s.orgId, syncId, { trigger: 'manual' });
    pageBudget = 2;
    try {
      const first = recordingEngine(runSyncFunction, requested({ runId: run.id, syncId }), {
        mocked: { continue: () => ({ ids: ['evt_follow_on'] }) },
      });
      expect((await first.engine.execute()).error).toBeUndefined();
      expect(first.recorder.executed).toEqual(['read-window', 'page-1', 'page-2']);
      const followOn = first.recorder.sent.get('continue') as ReturnType<typeof requested>;
      expect(followOn.data).toMatchObject({
        resume: {
          window: { kind: 'full', because: 'no-cursor', upper: null },
          facts: { highest: at(20), lowestRetry: null },
        },
      });

      const second = recordingEngine(runSyncFunction, { name: followOn.name, data: followOn.data });
      expect((await second.engine.execute()).error).toBeUndefined();
      expect(second.recorder.executed).toEqual(['page-3', 'deletions-plan', 'finish', 'follow-ups']);
    } finally {
      pageBudget = undefined;
    }
    expect(await loadRun(db.db, s.orgId, run.id)).toMatchObject({ listing: 'full', created: 25 });
    expect(await s.api.synchronisations.incremental({ orgId: s.orgId, syncId })).toMatchObject({
      cursor: at(25),
    });

    const next = await requestRun(db.db, s.orgId, syncId, { trigger: 'manual' });
    const third = recordingEngine(runSyncFunction, requested({ runId: next.run.id, syncId }));
    expect((await third.engine.execute()).error).toBeUndefined();
    expect(third.recorder.results.get('read-window')).toEqual({
      ok: true,
      window: { kind: 'incremental', lower: at(25), upper: null },
    });
    expect(await loadRun(db.db, s.orgId, next.run.id)).toMatchObject({
      listing: 'incremental',
      found: 1,
      skipped: 1,
    });
  });
});
