// The conflict queue through the API: the organisation's conflicts newest first with their
// synchronisation, filters and paging, the open count for the navigation, one conflict's three-way
// diff, and nothing of another organisation's.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createMember, createOwner } from '../../factories';
import { deletedOn, insertConflict } from '../../factories/conflicts';
import { anotherTwoWay, twoWayPeople } from '../helpers/conflict-setup';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let setup: Awaited<ReturnType<typeof twoWayPeople>>;
let other: Awaited<ReturnType<typeof anotherTwoWay>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(3) });
  setup = await twoWayPeople(db.db, peer.url);
  other = await anotherTwoWay(db.db, setup, 'People, second leg');
  const base = { orgId: setup.orgId, synchronisationId: setup.sync.id };
  // Found one after another (a minute apart), the newest last.
  const at = (minutes: number) => {
    const t = new Date(Date.now() - 3_600_000 + minutes * 60_000);
    return { createdAt: t, updatedAt: t };
  };
  ids.first = (await insertConflict(db.db, { ...base, originId: '1', ...at(1) })).id;
  ids.deleted = (
    await insertConflict(db.db, { ...base, originId: '2', ...deletedOn('source'), ...at(2) })
  ).id;
  ids.resolved = (
    await insertConflict(db.db, {
      ...base,
      originId: '3',
      status: 'resolved',
      resolvedBy: 'person',
      ...at(3),
    })
  ).id;
  ids.other = (
    await insertConflict(db.db, { orgId: setup.orgId, synchronisationId: other.id, originId: '4', ...at(4) })
  ).id;
});
afterAll(async () => {
  await db.close();
  await peer.stop();
});

describe('the conflict queue', () => {
  it('lists the organisation’s conflicts newest first, each with its synchronisation', async () => {
    const { api, orgId } = setup;
    const list = await api.conflicts.list({ orgId });
    expect(list.rows.map((r) => [r.id, r.synchronisationName, r.kind, r.status])).toEqual([
      [ids.other, 'People, second leg', 'both-changed', 'open'],
      [ids.resolved, 'People both ways', 'both-changed', 'resolved'],
      [ids.deleted, 'People both ways', 'source-deleted', 'open'],
      [ids.first, 'People both ways', 'both-changed', 'open'],
    ]);
    expect(list).toMatchObject({ total: 4, more: false });
  });

  it('filters by status, kind and synchronisation', async () => {
    const { api, orgId, sync } = setup;
    const idsOf = async (input: Parameters<typeof api.conflicts.list>[0]) =>
      (await api.conflicts.list(input)).rows.map((r) => r.id);
    expect(await idsOf({ orgId, status: 'open' })).toEqual([ids.other, ids.deleted, ids.first]);
    expect(await idsOf({ orgId, status: 'resolved' })).toEqual([ids.resolved]);
    expect(await idsOf({ orgId, kind: 'source-deleted' })).toEqual([ids.deleted]);
    expect(await idsOf({ orgId, syncId: other.id })).toEqual([ids.other]);
    expect(await idsOf({ orgId, syncId: sync.id, status: 'open' })).toEqual([ids.deleted, ids.first]);
  });

  it('pages by the last conflict seen', async () => {
    const { api, orgId } = setup;
    const first = await api.conflicts.list({ orgId, limit: 3 });
    expect(first).toMatchObject({ more: true, total: 4 });
    const next = await api.conflicts.list({ orgId, limit: 3, cursor: first.rows.at(-1)!.id });
    expect(next.rows.map((r) => r.id)).toEqual([ids.first]);
    expect(next.more).toBe(false);
  });

  it('counts the open conflicts of the organisation and of one synchronisation', async () => {
    const { api, orgId, sync } = setup;
    expect(await api.conflicts.openCount({ orgId })).toBe(3);
    expect(await api.conflicts.openCount({ orgId, syncId: sync.id })).toBe(2);
    expect(await api.conflicts.openCount({ orgId, syncId: other.id })).toBe(1);
  });

  it('shows one conflict field by field: base, source and target, and which fields conflict', async () => {
    const { api, orgId } = setup;
    const got = await api.conflicts.get({ orgId, conflictId: ids.first! });
    expect(got.sync).toMatchObject({ id: setup.sync.id, name: 'People both ways', conflictPolicy: 'manual' });
    expect(got.conflict).toMatchObject({ originId: '1', kind: 'both-changed', status: 'open' });
    // It has a base: not a first match.
    expect(got.firstMatch).toBe(false);
    expect(got.rows).toEqual([
      {
        path: 'name',
        base: 'Ada',
        source: 'Ada L.',
        target: 'Ada King',
        changedIn: 'both',
        conflicting: true,
        key: false,
      },
      {
        path: 'email',
        base: 'ada@old.test',
        source: 'ada@new.test',
        target: 'ada@old.test',
        changedIn: 'source',
        conflicting: false,
        key: false,
      },
      {
        path: 'city',
        base: 'Leiden',
        source: 'Leiden',
        target: 'Utrecht',
        changedIn: 'target',
        conflicting: false,
        key: false,
      },
    ]);
    expect(got.run).toBeNull();
  });

  it('shows a deletion at the source as every source field missing', async () => {
    const { api, orgId } = setup;
    const got = await api.conflicts.get({ orgId, conflictId: ids.deleted! });
    expect(got.rows.map((r) => [r.path, r.source, r.changedIn])).toEqual([
      ['name', undefined, 'both'],
      ['email', undefined, 'source'],
      ['city', undefined, 'both'],
    ]);
  });

  it('lets a viewer see the queue', async () => {
    const viewer = await createMember(db.db, setup.orgId, setup.owner.user.id, 'viewer');
    const api = callerFor(db.db, viewer);
    expect((await api.conflicts.list({ orgId: setup.orgId })).total).toBe(4);
    await expect(api.conflicts.get({ orgId: setup.orgId, conflictId: ids.first! })).resolves.toBeTruthy();
  });

  it('shows another organisation nothing: its own list is empty and the conflict is not found', async () => {
    const outsider = await createOwner(db.db);
    const api = callerFor(db.db, outsider.user);
    const orgId = outsider.org.id;
    expect(await api.conflicts.list({ orgId })).toEqual({ rows: [], more: false, total: 0 });
    expect(await api.conflicts.openCount({ orgId })).toBe(0);
    const notFound = await api.conflicts.get({ orgId, conflictId: ids.first! }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(TRPCError);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', message: 'The conflict was not found' });
    // Through the victim's organisation id, the gate answers before any conflict is read.
    await expect(api.conflicts.list({ orgId: setup.orgId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.conflicts.list({ orgId, cursor: ids.first! })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
