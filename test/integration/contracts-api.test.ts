// The contracts API behind the contracts table and a contract's page: filters, prefix search and paging;
// one contract with its source, mapped and target objects; re-syncing one object as a forced run.
import { TRPCError } from '@trpc/server';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { contractById, contracts } from '@/server/db/schema';
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
  it('pages through every contract in the order Concord first recorded them, with the total', async () => {
    const first = await list({ pageSize: 5 });
    expect(first.total).toBe(12);
    // The source listed 1 to 12: the list keeps that order (not the text order 1, 10, 11, 12, 2, …).
    expect(first.rows.map((c) => c.originId)).toEqual(['1', '2', '3', '4', '5']);
    // The list leaves the stored source object to the contract's own page.
    expect(first.rows[0]).not.toHaveProperty('originData');
    const second = await list({ pageSize: 5, cursor: first.next! });
    expect(second.rows.map((c) => c.originId)).toEqual(['6', '7', '8', '9', '10']);
    const last = await list({ pageSize: 5, cursor: second.next! });
    expect(last.rows.map((c) => c.originId)).toEqual(['11', '12']);
    expect(last).toMatchObject({ total: 12, totalExact: true, next: null, last: null });
    // Back the same way, and straight to the last page: the same short page Next ended on, so that
    // Previous from it goes back through the same pages, none shown twice.
    const back = await list({ pageSize: 5, cursor: last.previous! });
    expect(back.rows.map((c) => c.originId)).toEqual(['6', '7', '8', '9', '10']);
    const toFirst = await list({ pageSize: 5, cursor: back.previous! });
    expect(toFirst.rows.map((c) => c.originId)).toEqual(['1', '2', '3', '4', '5']);
    expect(toFirst.previous).toBeNull();
    const end = await list({ pageSize: 5, cursor: first.last! });
    expect(end.rows.map((c) => c.originId)).toEqual(['11', '12']);
    expect(end).toMatchObject({ next: null });
    const beforeEnd = await list({ pageSize: 5, cursor: end.previous! });
    expect(beforeEnd.rows.map((c) => c.originId)).toEqual(['6', '7', '8', '9', '10']);
    const atStart = await list({ pageSize: 5, cursor: beforeEnd.previous! });
    expect(atStart.rows.map((c) => c.originId)).toEqual(['1', '2', '3', '4', '5']);
    expect(atStart.previous).toBeNull();
    // A whole number of pages: the last page is a full one.
    const four = await list({ pageSize: 4, cursor: (await list({ pageSize: 4 })).last! });
    expect(four.rows.map((c) => c.originId)).toEqual(['9', '10', '11', '12']);
  });

  it('refuses a cursor it did not give out, saying to start again', async () => {
    await expect(list({ cursor: 'not-a-cursor' })).rejects.toThrow(/Start again from the first page/);
  });

  it('filters by status and last action', async () => {
    expect((await list({ status: 'synced' })).total).toBe(12);
    expect((await list({ status: 'failed' })).total).toBe(0);
    expect((await list({ status: 'failed' })).rows).toEqual([]);
    expect((await list({ lastAction: 'create' })).total).toBe(12);
    expect((await list({ lastAction: 'update' })).total).toBe(0);
    const firstTwo = await list({ status: 'synced', lastAction: 'create', pageSize: 2 });
    expect(
      (await list({ status: 'synced', lastAction: 'create', pageSize: 2, cursor: firstTwo.next! })).rows,
    ).toHaveLength(2);
  });

  it('searches by the start of the origin id or the target id, underscores included', async () => {
    // A search's list goes by origin id (its matches are a range of that index), in pages too.
    const ones = await list({ search: '1' });
    expect(ones.rows.map((c) => c.originId)).toEqual(['1', '10', '11', '12']);
    const firstOnes = await list({ search: '1', pageSize: 3 });
    expect(firstOnes.rows.map((c) => c.originId)).toEqual(['1', '10', '11']);
    const nextOnes = await list({ search: '1', pageSize: 3, cursor: firstOnes.next! });
    expect(nextOnes.rows.map((c) => c.originId)).toEqual(['12']);
    // A page link of one list is not taken for another's.
    await expect(list({ pageSize: 3, cursor: firstOnes.next! })).rejects.toThrow(/Start again/);
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

describe('contracts.list query plans', () => {
  // SQLite plans without statistics, and a condition it cannot use inside an OR (the search's two
  // prefixes) once made every search walk all of a synchronisation's contracts: 0.9 s at 1M (bench/).
  it('reaches contracts through an index in every statement, for each filter and search', async () => {
    const client = db.db.$client;
    const statements: { sql: string; args: unknown[] }[] = [];
    const execute = client.execute.bind(client);
    client.execute = (statement: unknown) => {
      const { sql, args } = statement as { sql: string; args?: unknown[] };
      if (typeof sql === 'string' && /^\s*select\b[^]*\bcontracts\b/i.test(sql))
        statements.push({ sql, args: args ?? [] });
      return execute(statement as Parameters<typeof execute>[0]);
    };
    try {
      const first = await list({ pageSize: 5 });
      await list({ pageSize: 5, cursor: first.next! });
      await list({ pageSize: 5, cursor: first.last! });
      await list({ status: 'synced' });
      await list({ lastAction: 'create' });
      await list({ search: '1' });
      await list({ search: 'obj_' });
      await list({ search: '1', status: 'synced' });
      await list({ status: 'synced', lastAction: 'create', pageSize: 2 });
      await s.api.contracts.list({ orgId: s.orgId, search: '1' });
    } finally {
      client.execute = execute;
    }
    expect(statements.length).toBeGreaterThan(8);
    // On a connection of its own: explaining a write (a run's, recorded meanwhile) would leave that
    // statement open on the shared one.
    const explainer = createClient({ url: `file:${db.file}` });
    onTestFinished(() => explainer.close());
    for (const { sql, args } of statements) {
      const plan = await explainer.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args as never });
      const details = plan.rows.map((r) => r.detail as string);
      expect(
        details.filter((d) => /^SCAN contracts\b/.test(d)),
        sql,
      ).toEqual([]);
      // A page is a range of an index in the list's order, never every match sorted — except a search's
      // few target-id matches (`ORDER BY +origin_id`), fetched through the target-id index.
      if (!/ORDER BY \+/i.test(sql))
        expect(
          details.filter((d) => /TEMP B-TREE/.test(d)),
          sql,
        ).toEqual([]);
    }
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

  it('says when the source was last read whole: an unchanged object keeps the times of its last write', async () => {
    const before = await s.api.contracts.detail({ orgId: s.orgId, contractId: (await contractOf('8')).id });
    const again = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(again).toMatchObject({ result: 'success', created: 0, updated: 0, complete: true });
    const after = await s.api.contracts.detail({ orgId: s.orgId, contractId: before.contract.id });
    expect(after.contract.sourceLastChecked).toEqual(before.contract.sourceLastChecked);
    expect(after.lastCompleteListing).toMatchObject({ runId: again.id });
    expect(after.lastCompleteListing!.startedAt!.getTime()).toBeGreaterThan(
      before.lastCompleteListing!.startedAt!.getTime(),
    );
  });

  it('shows what it has for a contract kept before Concord stored source objects', async () => {
    const three = await contractOf('3');
    await db.db
      .update(contracts)
      .set({ originData: null, originCopy: null, originCopyAt: null })
      .where(contractById(three.id));
    const detail = await s.api.contracts.detail({ orgId: s.orgId, contractId: three.id });
    expect(detail).toMatchObject({ source: null, mapped: null, target: { id: three.targetId } });
    await expect(s.api.contracts.resync({ orgId: s.orgId, contractId: three.id })).rejects.toThrow(
      /has not kept the source object/,
    );
  });
});

describe('contracts.resync', () => {
  it('runs that one object again, forced: a finished run that rewrote it unchanged', async () => {
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
      updated: 0,
      rewritten: 1,
      created: 0,
      deleted: 0,
    });
    expect(run.message).toContain('rewritten, its content unchanged');
    const timeline = await s.api.runs.timeline({ orgId: s.orgId, runId, pageSize: 50 });
    expect(timeline.rows.map((e) => [e.kind, e.objects, e.detail])).toEqual([
      ['page', 1, 'One object re-synchronised.'],
    ]);
    const after = await contractOf('7');
    expect(after).toMatchObject({ lastAction: 'rewrite', status: 'synced', targetId: seven.targetId });
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

describe('contracts.list across the organisation', () => {
  let second: { id: string; name: string };
  beforeAll(async () => {
    const { name: _name, ...input } = s.input;
    second = await s.api.synchronisations.create({ orgId: s.orgId, ...input, name: 'People again' });
    expect(await runThroughApi(s.api, s.orgId, second.id)).toMatchObject({ result: 'success', created: 12 });
  });

  const orgWide = (input: Partial<Parameters<typeof s.api.contracts.list>[0]> = {}) =>
    s.api.contracts.list({ orgId: s.orgId, ...input });

  it('lists every synchronisation’s contracts, grouped by synchronisation, each with its name', async () => {
    const all = await orgWide({ pageSize: 100 });
    expect(all.total).toBe(24);
    const names = (syncId: string) => all.rows.filter((c) => c.synchronisationId === syncId);
    expect(names(s.sync.id).map((c) => c.synchronisationName)).toEqual(Array(12).fill(s.sync.name));
    expect(names(second.id).map((c) => c.synchronisationName)).toEqual(Array(12).fill('People again'));
    // The older synchronisation first, each in its own order (as one synchronisation's table).
    const ordered = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];
    expect(all.rows.map((c) => [c.synchronisationId, c.originId])).toEqual([
      ...ordered.map((id) => [s.sync.id, id]),
      ...ordered.map((id) => [second.id, id]),
    ]);
    const first = await orgWide({ pageSize: 10 });
    const spanning = await orgWide({ pageSize: 10, cursor: first.next! });
    expect(spanning.rows.map((c) => [c.synchronisationId, c.originId])).toEqual([
      ...['11', '12'].map((id) => [s.sync.id, id]),
      ...ordered.slice(0, 8).map((id) => [second.id, id]),
    ]);
    const last = await orgWide({ pageSize: 10, cursor: spanning.next! });
    expect(last.rows.map((c) => [c.synchronisationId, c.originId])).toEqual(
      ['9', '10', '11', '12'].map((id) => [second.id, id]),
    );
    expect(last).toMatchObject({ total: 24, pageSize: 10, next: null });
    // Previous crosses back into the first synchronisation; Last is the page Next ended on, and
    // Previous from it the page that spans both.
    const back = await orgWide({ pageSize: 10, cursor: last.previous! });
    expect(back.rows.map((c) => c.originId)).toEqual(spanning.rows.map((c) => c.originId));
    const end = await orgWide({ pageSize: 10, cursor: first.last! });
    expect(end.rows).toEqual(last.rows);
    const beforeEnd = await orgWide({ pageSize: 10, cursor: end.previous! });
    expect(beforeEnd.rows).toEqual(spanning.rows);
  });

  it('filters by status, last action and id prefix as one synchronisation’s table does', async () => {
    for (const filter of [
      { status: 'synced' },
      { status: 'failed' },
      { lastAction: 'create' },
      { lastAction: 'update' },
      { status: 'synced', lastAction: 'create' },
      { search: '1' },
    ] as const) {
      const one = await list(filter);
      const two = await list({ ...filter, syncId: second.id });
      expect((await orgWide(filter)).total, JSON.stringify(filter)).toBe(one.total + two.total);
    }
    expect((await orgWide({ status: 'failed' })).rows).toEqual([]);
    expect((await orgWide({ search: '1' })).rows.map((c) => c.originId)).toEqual([
      ...['1', '10', '11', '12'],
      ...['1', '10', '11', '12'],
    ]);
  });

  it('narrows to one synchronisation with syncId, its rows named too', async () => {
    const one = await orgWide({ syncId: second.id, pageSize: 100 });
    expect(one.total).toBe(12);
    expect(new Set(one.rows.map((c) => c.synchronisationName))).toEqual(new Set(['People again']));
  });

  it('lets a viewer read them', async () => {
    const viewer = callerFor(db.db, await createMember(db.db, s.orgId, s.owner.user.id, 'viewer'));
    expect((await viewer.contracts.list({ orgId: s.orgId })).total).toBe(24);
  });

  it('shows an outsider none of them: NOT_FOUND for this organisation, only their own in theirs', async () => {
    const outsider = await restToRegister(db.db, peer.url);
    expect(await runThroughApi(outsider.api, outsider.orgId, outsider.sync.id)).toMatchObject({
      result: 'success',
      created: 12,
    });
    expect(await codeOf(outsider.api.contracts.list({ orgId: s.orgId }))).toBe('NOT_FOUND');
    expect(await codeOf(outsider.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(outsider.api.contracts.list({ orgId: outsider.orgId, syncId: s.sync.id }))).toBe(
      'NOT_FOUND',
    );
    const theirs = await outsider.api.contracts.list({ orgId: outsider.orgId, pageSize: 100 });
    expect(theirs.total).toBe(12);
    expect(new Set(theirs.rows.map((c) => c.synchronisationId))).toEqual(new Set([outsider.sync.id]));
    expect(theirs.rows.every((c) => c.synchronisationId === outsider.sync.id)).toBe(true);
    // Every target id starts with obj_: a search counts and lists their own contracts only.
    const searched = await outsider.api.contracts.list({
      orgId: outsider.orgId,
      search: 'obj_',
      pageSize: 100,
    });
    expect(searched.total).toBe(12);
    expect(searched.rows.every((c) => c.synchronisationId === outsider.sync.id)).toBe(true);
  });
});

describe('contracts.list totals', () => {
  it('keeps its totals exact through runs: the counts follow every insert, change and deletion', async () => {
    const counted = async () => {
      const rows = await db.client.execute({
        sql: `SELECT status, last_action, count(*) AS n FROM contracts
              WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ?)
              GROUP BY status, last_action ORDER BY status, last_action`,
        args: [s.sync.id],
      });
      const kept = await db.client.execute({
        sql: `SELECT status, nullif(last_action, '') AS last_action, n FROM contract_counts
              WHERE synchronisation_id = ? AND n > 0 ORDER BY status, last_action`,
        args: [s.sync.id],
      });
      const plain = (r: Record<string, unknown>) => [r.status, r.last_action, Number(r.n)];
      return { counted: rows.rows.map(plain), kept: kept.rows.map(plain) };
    };
    const before = await counted();
    expect(before.kept).toEqual(before.counted);
    // A re-run checks every object unchanged: every last action moves to skip.
    expect(await runThroughApi(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success' });
    const after = await counted();
    expect(after.kept).toEqual(after.counted);
    expect((await list({ lastAction: 'skip' })).total).toBe(
      Number(after.counted.find((r) => r[1] === 'skip')?.[2] ?? 0),
    );
  });
});
