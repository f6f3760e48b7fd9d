// A person resets an incremental synchronisation's cursor while an incremental run is under way (it
// seemed to miss changes): the run, which read only from the old cursor, must not put a cursor back when
// it ends. The reset stands, the log says so, and the next run lists everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableStep } from '@/server/runner/durable-step';
import { loadRun, requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { executeToCompletion } from '@/server/sync/run/execute';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import {
  FAST_HTTP,
  INCREMENTAL_BY_UPDATED_AT,
  people,
  restToRegister,
  runDirect,
} from '../helpers/sync-setup';

const T0 = '2024-05-01T10:00:00.000Z';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(12).map((person) => ({ ...person, updatedAt: T0 })) });
  s = await restToRegister(db.db, peer.url, {
    sourceEndpoint: '/people?_page=1&_limit=5&_sort=updatedAt,id',
    sourceConfig: INCREMENTAL_BY_UPDATED_AT,
  });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });

describe('resetting the cursor while an incremental run reads', () => {
  it('keeps the reset: the run ends without a cursor, and the next run lists everything', async () => {
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ listing: 'full', created: 12 });
    expect(await state()).toMatchObject({ cursor: T0 });

    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const inner = durableStep(db.db, run.id);
    const resetting: StepRunner = {
      run: async (id, fn) => {
        if (id === 'page-2') await s.api.synchronisations.resetCursor({ orgId: s.orgId, syncId: s.sync.id });
        return inner.run(id, fn);
      },
    };
    await executeToCompletion(db.db, run.id, resetting, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
    });
    const ended = await loadRun(db.db, s.orgId, run.id);
    expect(ended).toMatchObject({ listing: 'incremental', result: 'success', complete: true });
    expect(ended.message).not.toMatch(/The cursor moved to/);
    expect(ended.message).toMatch(/reset while the run went on/);
    expect(await state()).toMatchObject({ cursor: null, runsUntilFull: 0 });

    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ listing: 'full', found: 12 });
    expect(await state()).toMatchObject({ cursor: T0 });
  });
});
