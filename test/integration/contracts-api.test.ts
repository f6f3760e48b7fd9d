// The contracts API behind the contracts table and a contract's page: filters, prefix search and paging;
// one contract with its source, mapped and target objects; re-syncing one object as a forced run.
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts } from '@/server/db/schema';
import { callerFor, createMember } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { people, restToRegister, runThroughApi } from './helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(12) });
  s = await restToRegister(db.db, peer.url);
  expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 12 });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const list = (input: Partial<Parameters<typeof s.api.contracts.list>[0]> = {}) =>
  s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, ...input });

async function contractOf(originId: string) {
  const { rows } = await list({ search: originId });
  const found = rows.find((c) => c.originId === originId);
  if (!found) throw new Error(`no contract for ${originId}`);
  return found;
}

async function waitForRun(runId: string) {
  for (let i = 0; i < 400; i++) {
    const run = await s.api.runs.get({ orgId: s.orgId, runId });
    if (run.status === 'finished' || run.status === 'cancelled') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}

describe('contracts.list', () => {
  it('pages through every contract in origin id order with the total', async () => {
    const first = await list({ pageSize: 5 });
    expect(first.total).toBe(12);
    expect(first.rows.map((c) => c.originId)).toEqual(['1', '10', '11', '12', '2']);
    const last = await list({ pageSize: 5, page: 3 });
    expect(last.rows.map((c) => c.originId)).toEqual(['8', '9']);
  });

  it('filters by status and last action', async () => {
    expect((await list({ status: 'synced' })).total).toBe(12);
    expect((await list({ status: 'failed' })).total).toBe(0);
    expect((await list({ status: 'failed' })).rows).toEqual([]);
    expect((await list({ lastAction: 'create' })).total).toBe(12);
    expect((await list({ lastAction: 'update' })).total).toBe(0);
    expect((await list({ status: 'synced', lastAction: 'create', pageSize: 2, page: 2 })).rows).toHaveLength(
      2,
    );
  });

  it('searches by the start of the origin id or the target id, underscores included', async () => {
    const ones = await list({ search: '1' });
    expect(ones.rows.map((c) => c.originId)).toEqual(['1', '10', '11', '12']);
    expect((await list({ search: '1', status: 'failed' })).total).toBe(0);
    const seven = await contractOf('7');
    expect(seven.targetId).toMatch(/^obj_/);
    const byTarget = await list({ search: seven.targetId! });
    expect(byTarget.rows.map((c) => c.originId)).toEqual(['7']);
    expect((await list({ search: 'obj_' })).total).toBe(12);
    expect((await list({ search: 'OBJ_' })).total).toBe(0);
    expect((await list({ search: '%' })).total).toBe(0);
  });
});

describe('contracts.detail', () => {
  it('returns the source object, what the mapping makes of it and the register object', async () => {
    const seven = await contractOf('7');
    const detail = await s.api.contracts.detail({ orgId: s.orgId, contractId: seven.id });
    expect(detail.contract).toMatchObject({
      id: seven.id,
      originId: '7',
      status: 'synced',
      lastAction: 'create',
    });
    expect(detail.sync).toEqual({ id: s.sync.id, name: s.sync.name, targetType: 'register', enabled: true });
    const mapped = { name: 'Person 7', email: 'person7@example.test', city: 'Leiden' };
    expect(detail.target).toMatchObject({ id: seven.targetId, data: mapped, deletedAt: null });
    expect(detail.targetNote).toBeNull();
    // The engine keeps the source object on the contract (originData); the page shows it and maps it.
    expect(detail.source).toEqual(people(12)[6]);
    expect(detail.mapped).toEqual({ ok: true, result: mapped, missing: [] });
  });

  it('shows what it has for a contract kept before Concord stored source objects', async () => {
    const three = await contractOf('3');
    await db.db.update(contracts).set({ originData: null }).where(eq(contracts.id, three.id));
    const detail = await s.api.contracts.detail({ orgId: s.orgId, contractId: three.id });
    expect(detail).toMatchObject({ source: null, mapped: null, target: { id: three.targetId } });
    await expect(s.api.contracts.resync({ orgId: s.orgId, contractId: three.id })).rejects.toThrow(
      /has not kept the source object/,
    );
  });
});

describe('contracts.resync', () => {
  it('runs that one object again, forced: a finished run with one update', async () => {
    const seven = await contractOf('7');
    const { runId } = await s.api.contracts.resync({ orgId: s.orgId, contractId: seven.id });
    const run = await waitForRun(runId);
    expect(run).toMatchObject({
      status: 'finished',
      result: 'success',
      force: true,
      trigger: 'manual',
      requestedBy: s.owner.user.id,
      found: 1,
      updated: 1,
      created: 0,
      deleted: 0,
    });
    const after = await contractOf('7');
    expect(after).toMatchObject({ lastAction: 'update', status: 'synced', targetId: seven.targetId });
    expect((await list()).total).toBe(12);
  });

  it('lets a viewer read everything but neither re-sync nor cancel', async () => {
    const viewer = callerFor(db.db, await createMember(db.db, s.orgId, s.owner.user.id, 'viewer'));
    const seven = await contractOf('7');
    const detail = await viewer.contracts.detail({ orgId: s.orgId, contractId: seven.id });
    expect(detail.contract.id).toBe(seven.id);
    expect(await codeOf(viewer.contracts.resync({ orgId: s.orgId, contractId: seven.id }))).toBe('FORBIDDEN');
    const [latest] = await viewer.runs.list({ orgId: s.orgId, limit: 1 });
    expect(await codeOf(viewer.runs.cancel({ orgId: s.orgId, runId: latest!.run.id }))).toBe('FORBIDDEN');
  });

  it('answers NOT_FOUND for a contract of another organisation', async () => {
    const other = await restToRegister(db.db, peer.url);
    const seven = await contractOf('7');
    expect(await codeOf(other.api.contracts.detail({ orgId: other.orgId, contractId: seven.id }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(other.api.contracts.resync({ orgId: other.orgId, contractId: seven.id }))).toBe(
      'NOT_FOUND',
    );
  });
});
