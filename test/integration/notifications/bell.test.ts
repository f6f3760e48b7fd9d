// The bell through tRPC: a failed run and held deletions become notifications every member sees, each
// person marks their own read, outsiders get nothing; emitting twice for one run tells once.
import { TRPCError } from '@trpc/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '@/server/db/schema';
import { removeOldNotifications } from '@/server/runner/retention';
import { emitRunEnd } from '@/server/services/notifications/emit';
import { callerFor, createMember, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';
import { restTwoWay } from '../two-way/setup';
import { eq } from 'drizzle-orm';

let db: TestDatabase;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
afterAll(() => db.close());

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('the bell', () => {
  it('lists a failed run and held deletions for every member, marks read per person, and refuses outsiders', async () => {
    const peer = await startJsonServer({ people: people(45) });
    peers.push(peer);
    const { api, orgId, sync, owner } = await restToRegister(db.db, peer.url);
    const viewer = callerFor(db.db, await createMember(db.db, orgId, owner.user.id, 'viewer'));
    expect(await api.notifications.unreadCount({ orgId })).toBe(0);

    // A good run tells nothing.
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success', created: 45 });
    expect(await api.notifications.list({ orgId })).toEqual([]);

    // 30 people vanish: the run holds their deletions.
    for (let id = 1; id <= 30; id++) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
    const holding = await runThroughApi(api, orgId, sync.id);
    expect(holding).toMatchObject({ result: 'warning', held: 30 });

    // The source fails: the run fails.
    await peer.faults([{ path: '/people', status: 500 }]);
    const failed = await runThroughApi(api, orgId, sync.id);
    expect(failed).toMatchObject({ result: 'error' });

    const list = await api.notifications.list({ orgId });
    expect(list.map((n) => [n.event, n.title, n.path, n.read])).toEqual([
      ['run.failed', `“${sync.name}” failed`, `/logs/${failed.id}`, false],
      ['deletions.held', `30 deletions held in “${sync.name}”`, `/synchronisations/${sync.id}`, false],
    ]);
    expect(list[0]!.message).toMatch(/500/);
    expect(await api.notifications.unreadCount({ orgId })).toBe(2);
    expect(await viewer.notifications.unreadCount({ orgId })).toBe(2);

    // The owner reads the failure: their bell has one left, the viewer's still two.
    expect(await api.notifications.markRead({ orgId, ids: [list[0]!.id] })).toEqual({ marked: 1 });
    expect(await api.notifications.unreadCount({ orgId })).toBe(1);
    expect((await api.notifications.list({ orgId, unreadOnly: true })).map((n) => n.event)).toEqual([
      'deletions.held',
    ]);
    expect(await viewer.notifications.unreadCount({ orgId })).toBe(2);
    expect(await viewer.notifications.markRead({ orgId, all: true })).toEqual({ marked: 2 });
    expect(await viewer.notifications.unreadCount({ orgId })).toBe(0);
    expect((await viewer.notifications.list({ orgId })).every((n) => n.read)).toBe(true);

    // Outsiders: not found, and another organisation's member cannot mark these read from theirs.
    const stranger = await createOwner(db.db);
    const strangerApi = callerFor(db.db, stranger.user);
    expect(await code(strangerApi.notifications.list({ orgId }))).toBe('NOT_FOUND');
    expect(await code(strangerApi.notifications.unreadCount({ orgId }))).toBe('NOT_FOUND');
    expect(await code(strangerApi.notifications.markRead({ orgId, all: true }))).toBe('NOT_FOUND');
    expect(await strangerApi.notifications.markRead({ orgId: stranger.org.id, ids: [list[1]!.id] })).toEqual({
      marked: 0,
    });
    expect(await api.notifications.unreadCount({ orgId })).toBe(1);
    expect(await code(callerFor(db.db, null).notifications.list({ orgId }))).toBe('UNAUTHORIZED');

    // A finish step retried tells nothing new.
    await emitRunEnd(db.db, orgId, failed.id);
    const ofRun = await db.db.select().from(notifications).where(eq(notifications.runId, failed.id));
    expect(ofRun).toHaveLength(1);
  }, 120_000);

  it('tells nothing about a test run that fails', async () => {
    const peer = await startJsonServer({ people: people(3) });
    peers.push(peer);
    const { api, orgId, sync } = await restToRegister(db.db, peer.url);
    await peer.faults([{ path: '/people', status: 500 }]);
    expect(await runThroughApi(api, orgId, sync.id, { test: true })).toMatchObject({ result: 'error' });
    expect(await api.notifications.unreadCount({ orgId })).toBe(0);
  });

  it('tells of the conflicts a two-way run opened, linking to the one conflict', async () => {
    const peer = await startJsonServer({
      people: [
        { id: 1, name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
        { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Utrecht' },
      ],
    });
    peers.push(peer);
    const s = await restTwoWay(db.db, peer.url, { conflictPolicy: 'manual' });
    await s.run();
    const ada = (await s.registerObjects()).find((o) => o.data.name === 'Ada')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Paris' },
    });
    await fetch(`${peer.url}/people/1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ city: 'Berlin' }),
    });
    const run = await s.run();
    expect(run.message).toMatch(/1 conflict waits for a person/);
    const [conflict] = (await s.api.conflicts.list({ orgId: s.orgId })).rows;
    const list = await s.api.notifications.list({ orgId: s.orgId });
    expect(list.map((n) => [n.event, n.title, n.path, n.conflictId])).toEqual([
      [
        'conflict.opened',
        `1 conflict opened in “${s.sync.name}”`,
        `/conflicts/${conflict!.id}`,
        conflict!.id,
      ],
    ]);
    expect(list[0]?.message).toMatch(
      /^The two sides disagree on these objects .*a person chooses what is kept\.$/,
    );
    // The next run finds the same conflict still open: nothing new to tell.
    const again = await s.run();
    expect(again.message).toMatch(/1 conflict waits for a person/);
    expect((await s.api.notifications.list({ orgId: s.orgId })).map((n) => n.event)).toEqual([
      'conflict.opened',
    ]);
  }, 120_000);
});

describe('notification retention', () => {
  it('removes notifications older than 90 days with their read marks, and keeps newer ones', async () => {
    const { user, org } = await createOwner(db.db);
    const api = callerFor(db.db, user);
    const old = new Date(Date.now() - 91 * 86_400_000);
    for (const [key, createdAt] of [
      ['old', old],
      ['new', new Date()],
    ] as const) {
      await db.db.insert(notifications).values({
        orgId: org.id,
        event: 'run.failed',
        dedupeKey: `test:${key}`,
        title: key,
        path: '/logs',
        data: {},
        createdAt,
      });
    }
    await api.notifications.markRead({ orgId: org.id, all: true });
    expect(await removeOldNotifications(db.db)).toBeGreaterThanOrEqual(1);
    expect((await api.notifications.list({ orgId: org.id })).map((n) => [n.title, n.read])).toEqual([
      ['new', true],
    ]);
  });
});

describe('a newcomer’s bell', () => {
  it('shows what was told before they joined as read, and counts only what came after', async () => {
    const peer = await startJsonServer({ people: people(3) });
    peers.push(peer);
    const { api, orgId, sync, owner } = await restToRegister(db.db, peer.url);
    await peer.faults([{ path: '/people', status: 500 }]);
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'error' });
    // Joined after that failure (the notification is older than the membership).
    await db.db
      .update(notifications)
      .set({ createdAt: new Date(Date.now() - 60_000) })
      .where(eq(notifications.synchronisationId, sync.id));
    const newcomer = callerFor(db.db, await createMember(db.db, orgId, owner.user.id, 'viewer'));
    expect(await newcomer.notifications.unreadCount({ orgId })).toBe(0);
    const seen = await newcomer.notifications.list({ orgId });
    expect(seen.map((n) => [n.event, n.read])).toEqual([['run.failed', true]]);
    expect(await newcomer.notifications.list({ orgId, unreadOnly: true })).toEqual([]);
    // The source works again: that is news to them too.
    await peer.clearFaults();
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success' });
    expect(await newcomer.notifications.unreadCount({ orgId })).toBe(1);
    expect((await newcomer.notifications.list({ orgId, unreadOnly: true })).map((n) => n.event)).toEqual([
      'run.recovered',
    ]);
  });
});
