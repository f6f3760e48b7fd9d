// The Overview's data through tRPC: a new organisation's first steps tick as things exist; a
// synchronisation whose source answers 500 is failing since its first failure and needs attention;
// a good run makes it healthy again; outsiders get nothing.
import { TRPCError } from '@trpc/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
afterAll(() => db.close());

const stepsOf = (o: { firstSteps: readonly { step: string; done: boolean }[] }) =>
  Object.fromEntries(o.firstSteps.map((s) => [s.step, s.done]));

describe('the overview', () => {
  it('shows a new organisation its first steps, none done', async () => {
    const { user, org } = await createOwner(db.db);
    const overview = await callerFor(db.db, user).overview.get({ orgId: org.id });
    expect(stepsOf(overview)).toEqual({
      source: false,
      register: false,
      mapping: false,
      synchronisation: false,
      run: false,
    });
    expect(overview.synchronisations).toEqual([]);
    expect(overview.attention).toEqual([]);
    expect(overview.recentRuns).toEqual([]);
  });

  it('shows a failing synchronisation since its first failure, in need of attention, until a good run', async () => {
    const peer = await startJsonServer({ people: people(12) });
    peers.push(peer);
    const { api, orgId, sync } = await restToRegister(db.db, peer.url, {
      scheduleCron: '0 6 * * *',
      scheduleTimezone: 'Europe/Amsterdam',
    });
    let overview = await api.overview.get({ orgId });
    expect(stepsOf(overview)).toEqual({
      source: true,
      register: true,
      mapping: true,
      synchronisation: true,
      run: false,
    });
    expect(overview.synchronisations[0]).toMatchObject({ id: sync.id, health: { state: 'never-run' } });
    // The next run of the schedule, in its time zone.
    const next = overview.synchronisations[0]!.nextRunAt!;
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(overview.synchronisations[0]!.scheduleTimezone).toBe('Europe/Amsterdam');

    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success', created: 12 });
    await peer.faults([{ path: '/people', status: 500, body: { error: 'database down' } }]);
    const firstFailure = await runThroughApi(api, orgId, sync.id);
    const secondFailure = await runThroughApi(api, orgId, sync.id);
    expect([firstFailure.result, secondFailure.result]).toEqual(['error', 'error']);

    overview = await api.overview.get({ orgId });
    expect(stepsOf(overview).run).toBe(true);
    const [health] = overview.synchronisations;
    expect(health).toMatchObject({
      id: sync.id,
      objects: 12,
      health: { state: 'failing', since: firstFailure.finishedAt },
      lastRun: { id: secondFailure.id, result: 'error' },
      active: null,
    });
    expect(overview.attention).toEqual([
      {
        kind: 'failing',
        syncId: sync.id,
        syncName: sync.name,
        since: firstFailure.finishedAt,
        runId: secondFailure.id,
        message: secondFailure.message,
      },
    ]);
    expect(overview.recentRuns.map((r) => r.id).slice(0, 3)).toEqual([
      secondFailure.id,
      firstFailure.id,
      expect.any(String),
    ]);

    await peer.clearFaults();
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success' });
    overview = await api.overview.get({ orgId });
    expect(overview.synchronisations[0]!.health).toEqual({ state: 'ok' });
    expect(overview.attention).toEqual([]);

    const stranger = callerFor(db.db, (await createOwner(db.db)).user);
    await expect(stranger.overview.get({ orgId })).rejects.toSatisfy(
      (e) => e instanceof TRPCError && e.code === 'NOT_FOUND',
    );
  });
});
