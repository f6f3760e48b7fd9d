// REST → register, incremental, against json-server 0.17 (`updatedAt_gte=` filters): the first run
// lists everything and takes the largest updatedAt it read; later runs ask for changes from the cursor
// minus the lookback (the requests json-server received show it), delete nothing, and meet an object
// that moved while they read (sorted by updatedAt) again without calling it a duplicate; a failed page
// or a cancelled run leaves the cursor where it was; every fourth run is a full reconciliation that
// deletes what vanished, and a reset cursor makes the next run full.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancellable, RunCancelledError } from '@/server/runner/cancellation';
import { durableStep } from '@/server/runner/durable-step';
import { cancelRun, loadRun, requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { executeToCompletion } from '@/server/sync/run/execute';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { liveObjects } from '../helpers/sync-more';
import { FAST_HTTP, people, restToRegister, runDirect } from '../helpers/sync-setup';

const T0 = '2024-05-01T10:00:00.000Z';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(30).map((person) => ({ ...person, updatedAt: T0 })) });
  s = await restToRegister(db.db, peer.url, {
    sourceEndpoint: '/people?_page=1&_limit=10&_sort=updatedAt,id',
    sourceConfig: {
      pagination: { kind: 'link-header' },
      incremental: {
        field: 'updatedAt',
        query: 'updatedAt_gte={{cursor}}',
        lookbackSeconds: 60,
        reconcileEveryRuns: 4,
      },
    },
    deleteMode: 'hard',
  });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const patch = (id: number, body: Record<string, unknown>) =>
  fetch(`${peer.url}/people/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
/** The listing requests json-server received since the last call. */
async function listings(): Promise<string[]> {
  const seen = (await peer.requests()).filter((r) => r.method === 'GET' && r.url.startsWith('/people'));
  await fetch(`${peer.url}/__requests`, { method: 'DELETE' });
  return seen.map((r) => decodeURIComponent(r.url));
}
const state = () => s.api.synchronisations.incremental({ orgId: s.orgId, syncId: s.sync.id });
const names = async () => (await liveObjects(db.db, s.schema.id)).map((o) => o.data.name as string);

describe('an incremental REST source', () => {
  it('lists everything first and takes the largest value it read as the cursor', async () => {
    await listings();
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      listing: 'full',
      created: 30,
      pagesFetched: 3,
    });
    const asked = await listings();
    expect(asked).toHaveLength(3);
    expect(asked.join('\n')).not.toContain('updatedAt_gte');
    expect(await state()).toMatchObject({ cursor: T0, runsSinceFull: 0, runsUntilFull: 3 });
  });

  it('asks for changes from the cursor minus the lookback, and deletes nothing', async () => {
    await patch(5, { name: 'Person five', updatedAt: '2024-05-01T11:00:00.000Z' });
    await fetch(`${peer.url}/people/7`, { method: 'DELETE' });
    await listings();
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ listing: 'incremental', updated: 1, deleted: 0, invalid: 0 });
    const asked = await listings();
    expect(asked[0]).toContain('updatedAt_gte=2024-05-01T09:59:00.000Z');
    expect(await names()).toEqual(expect.arrayContaining(['Person five', 'Person 7']));
    expect(await state()).toMatchObject({ cursor: '2024-05-01T11:00:00.000Z', runsSinceFull: 1 });

    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      listing: 'incremental',
      found: 1,
      skipped: 1,
      pagesFetched: 1,
    });
    expect((await listings())[0]).toContain('updatedAt_gte=2024-05-01T10:59:00.000Z');
  });

  it('leaves the cursor where it was when a page fails', async () => {
    await peer.faults([{ path: '/people', page: 1, status: 500 }]);
    try {
      const run = await runDirect(db.db, s.orgId, s.sync.id);
      expect(run).toMatchObject({ listing: 'incremental', result: 'error', complete: false, deleted: 0 });
      expect(run.message).toMatch(/The cursor stays where it was: the listing is incomplete\./);
    } finally {
      await peer.clearFaults();
    }
    expect(await state()).toMatchObject({ cursor: '2024-05-01T11:00:00.000Z', runsSinceFull: 2 });
  });

  it('meets an object that changed while it read again, as a re-read and not a duplicate', async () => {
    // Thirteen objects from the cursor on (5, then 11 to 22): two pages of ten.
    for (let id = 11; id <= 22; id++) await patch(id, { updatedAt: '2024-05-01T12:00:00.000Z' });
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    const inner = durableStep(db.db, run.id);
    // Between the pages (sorted by updatedAt), object 12 changes again and moves to the end.
    const changing: StepRunner = {
      run: async (id, fn) => {
        if (id === 'page-2')
          await patch(12, { name: 'Person twelve', updatedAt: '2024-05-01T12:30:00.000Z' });
        return inner.run(id, fn);
      },
    };
    // Pages are fetched one at a time (no read-ahead), so the change lands between two requests.
    await executeToCompletion(db.db, run.id, changing, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
    });
    // Page 1: 5, 11–19 (12 among them); page 2: 21, 22 and 12 again, changed. (20 slid onto page 1's
    // place unread: the lookback and the reconciliation run are there for what moves under a listing.)
    const finished = await loadRun(db.db, s.orgId, run.id);
    expect(finished).toMatchObject({
      listing: 'incremental',
      found: 13,
      updated: 1,
      invalid: 0,
      complete: true,
    });
    expect(await names()).toContain('Person twelve');
    expect(await state()).toMatchObject({ cursor: '2024-05-01T12:30:00.000Z' });
  });

  it('leaves the cursor where it was when a run is cancelled', async () => {
    const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual', full: true });
    const inner = cancellable(db.db, run.id, durableStep(db.db, run.id));
    // A person cancels while page 1 is being written; the run stops before page 2.
    const cancelling: StepRunner = {
      run: async (id, fn) => {
        if (id === 'page-2') await cancelRun(db.db, s.orgId, run.id);
        return inner.run(id, fn);
      },
    };
    await expect(
      executeToCompletion(db.db, run.id, cancelling, { urlPolicy: { allowPrivateNetworks: true } }),
    ).rejects.toBeInstanceOf(RunCancelledError);
    expect(await loadRun(db.db, s.orgId, run.id)).toMatchObject({ status: 'cancelled', listing: 'full' });
    expect(await state()).toMatchObject({ cursor: '2024-05-01T12:30:00.000Z', runsSinceFull: 3 });
  });

  it('reconciles in full every fourth run: lists everything and deletes what vanished', async () => {
    await listings();
    const run = await runDirect(db.db, s.orgId, s.sync.id);
    expect(run).toMatchObject({ listing: 'full', result: 'success', deleted: 1, found: 29 });
    expect(run.message).toMatch(/^Full reconciliation \(it is due after the set number/);
    expect((await listings()).join('\n')).not.toContain('updatedAt_gte');
    expect(await names()).not.toContain('Person 7');
    expect(await state()).toMatchObject({ runsSinceFull: 0, runsUntilFull: 3 });
  });

  it('forgets its cursor when reset: the next run lists everything', async () => {
    expect(await s.api.synchronisations.resetCursor({ orgId: s.orgId, syncId: s.sync.id })).toMatchObject({
      cursor: null,
      runsUntilFull: 0,
    });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ listing: 'full', deleted: 0 });
    expect(await state()).toMatchObject({ cursor: '2024-05-01T12:30:00.000Z' });
  });
});
