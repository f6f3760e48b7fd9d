// A record's history, as an operator reads it: json-server people pulled into the register through the
// API, then changed at the peer. Each run writes one version per object it changed and none for the
// unchanged ones; a replayed step adds no second row (the store's own rules: record-history-store.test.ts);
// the contract's versions come with their diff; a run lists what it changed; an object id finds
// every run that touched it (only in the caller's organisation); a register object names its origin;
// a second synchronisation into the same schema: shared-schema-warning.test.ts. A version whose data the
// register object holds: record-history-held-data.test.ts.
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contractReadColumns,
  contracts,
  contractVersions,
  ofSynchronisation,
  runs,
  runSeqOf,
  versionColumns,
  versionsContract,
} from '@/server/db/schema';
import { executeRun } from '@/server/sync/run/execute';
import { requestRun } from '@/server/services/runs';
import type { StepRunner } from '@/server/sync/ports';
import { callerFor, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { FAST_HTTP, people, restToRegister, runThroughApi } from './helpers/sync-setup';
import { restTwoWay } from './two-way/setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(5) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
const send = (method: string, path: string, body?: unknown) =>
  fetch(`${peer.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const versionsOfRun = (runId: string) =>
  db.db
    .select(versionColumns)
    .from(contractVersions)
    .innerJoin(contracts, versionsContract)
    .where(eq(contractVersions.runSeq, runSeqOf(runId)));
async function contractOf(originId: string) {
  const [row] = await db.db
    .select(contractReadColumns)
    .from(contracts)
    .where(and(ofSynchronisation(s.sync.id), eq(contracts.originId, originId)));
  return row!;
}

const runIds: Record<string, string> = {};

describe('a record’s history written by the runs', () => {
  it('records one version per created object on the first run, each its contract until it changes', async () => {
    const first = await run();
    expect(first).toMatchObject({ result: 'success', created: 5 });
    runIds.first = first.id;
    // No version row: each contract names the run that created it (migration 0051)…
    expect(await versionsOfRun(first.id)).toHaveLength(0);
    const created = await db.db
      .select({ createdRunSeq: contracts.createdRunSeq })
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));
    const [firstRun] = await db.db.select({ seq: runs.seq }).from(runs).where(eq(runs.id, first.id));
    expect(created.map((c) => c.createdRunSeq)).toEqual(Array(5).fill(firstRun!.seq));
    // …and the history shows its creation all the same: the run, the hashes, what the object holds.
    const three = await contractOf('3');
    const history = await s.api.history.contract({ orgId: s.orgId, contractId: three.id });
    expect(history.versions).toMatchObject([
      {
        action: 'create',
        runId: first.id,
        originHash: three.originHash,
        targetHash: three.targetHash,
        data: { name: 'Person 3', email: 'person3@example.test', city: 'Leiden' },
      },
    ]);
  });

  it('records nothing for a run that changes nothing', async () => {
    const again = await run();
    expect(again).toMatchObject({ result: 'success', skipped: 5, created: 0, updated: 0 });
    runIds.unchanged = again.id;
    expect(await versionsOfRun(again.id)).toHaveLength(0);
  });

  it('records only the changed object when one changes at the peer', async () => {
    const before = await contractOf('3');
    await send('PATCH', '/people/3', { name: 'Person three' });
    const third = await run();
    expect(third).toMatchObject({ result: 'success', updated: 1, skipped: 4 });
    runIds.changed = third.id;
    const three = await contractOf('3');
    const rows = await versionsOfRun(third.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'update', contractId: three.id });
    // Its creation was written out as a row first, as it was: the first run's, with the old hashes.
    const created = await versionsOfRun(runIds.first!);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: 'create',
      contractId: three.id,
      originHash: before.originHash,
      targetHash: before.targetHash,
    });
    expect(created[0]!.originHash).not.toBe(three.originHash);
    expect(created[0]!.id).toBeLessThan(rows[0]!.id);
    expect((await contractOf('3')).createdRunSeq).toBeNull();
  });

  it('records a deletion without data', async () => {
    await send('DELETE', '/people/5');
    const fourth = await run();
    expect(fourth).toMatchObject({ result: 'success', deleted: 1 });
    runIds.deleted = fourth.id;
    const rows = await versionsOfRun(fourth.id);
    expect(rows.map((r) => [r.action, r.data])).toEqual([['delete', null]]);
  });

  it('adds no second row when a page step is replayed after its writes committed', async () => {
    await send('PATCH', '/people/2', { name: 'Person two' });
    const { run: queued } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    // An executor whose memo of page-1 was lost after the step committed: the step runs again.
    const memo = new Map<string, unknown>();
    let replays = 0;
    const step: StepRunner = {
      async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
        if (memo.has(id)) return memo.get(id) as T;
        if (id === 'page-1' && replays === 0) {
          replays += 1;
          await fn();
        }
        const result = await fn();
        memo.set(id, result);
        return result;
      },
    };
    const result = await executeRun(db.db, queued.id, step, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
    });
    expect(result.kind).toBe('finished');
    expect(replays).toBe(1);
    const rows = await versionsOfRun(queued.id);
    expect(rows.map((r) => [r.action, r.contractId])).toEqual([['update', (await contractOf('2')).id]]);
  });
});

describe('the history API', () => {
  it('lists a contract’s versions newest first, with the run and the diff from the version before', async () => {
    const three = await contractOf('3');
    const history = await s.api.history.contract({ orgId: s.orgId, contractId: three.id });
    expect(history.versions.map((v) => [v.action, v.runId, v.number])).toEqual([
      ['update', runIds.changed, 2],
      ['create', runIds.first, 1],
    ]);
    const [latest, first] = history.versions;
    expect(latest!.trigger).toBe('manual');
    expect(latest!.requestedByName).toBe(s.owner.user.name);
    expect(latest!.data).toEqual({ name: 'Person three', email: 'person3@example.test', city: 'Leiden' });
    expect(latest!.changes).toEqual([
      { path: 'name', kind: 'changed', before: 'Person 3', after: 'Person three' },
    ]);
    // The first version is compared with nothing: every field is new.
    expect(first!.changes.map((c) => [c.path, c.kind]).sort()).toEqual([
      ['city', 'added'],
      ['email', 'added'],
      ['name', 'added'],
    ]);
  });

  it('lists the objects a run changed, filtered by action and paginated', async () => {
    const all = await s.api.history.runObjects({ orgId: s.orgId, runId: runIds.first!, pageSize: 2 });
    expect(all.total).toBe(5);
    expect(all.rows).toHaveLength(2);
    expect(all.counts).toEqual({ create: 5 });
    const page3 = await s.api.history.runObjects({
      orgId: s.orgId,
      runId: runIds.first!,
      pageSize: 2,
      page: 3,
    });
    expect(page3.rows).toHaveLength(1);
    const ids = new Set([...all.rows, ...page3.rows].map((r) => r.originId));
    expect(ids.size).toBe(3);
    const deleted = await s.api.history.runObjects({
      orgId: s.orgId,
      runId: runIds.deleted!,
      action: 'delete',
    });
    expect(deleted.rows.map((r) => [r.originId, r.contractId])).toEqual([['5', (await contractOf('5')).id]]);
    const none = await s.api.history.runObjects({ orgId: s.orgId, runId: runIds.deleted!, action: 'update' });
    expect(none.total).toBe(0);
  });

  it('finds every run that touched an object id, by origin id or register id', async () => {
    const found = await s.api.history.object({ orgId: s.orgId, objectId: '3' });
    expect(found.runs.map((r) => r.id).sort()).toEqual([runIds.first, runIds.changed].sort());
    expect(found.runs.every((r) => r.contractId === null || typeof r.contractId === 'string')).toBe(true);
    expect(found.runs[0]).toMatchObject({ id: runIds.changed, actions: ['update'], syncName: s.sync.name });
    const three = await contractOf('3');
    const byTarget = await s.api.history.object({ orgId: s.orgId, objectId: three.targetId! });
    expect(byTarget.runs.map((r) => r.id).sort()).toEqual([runIds.first, runIds.changed].sort());
  });

  it('finds runs whose log names the object with an error', async () => {
    // The register refuses a person without a name (the schema requires one): an error line, no version.
    await send('PATCH', '/people/4', { name: '' });
    const failing = await run();
    expect(failing.invalid).toBe(1);
    const found = await s.api.history.object({ orgId: s.orgId, objectId: '4' });
    const line = found.runs.find((r) => r.id === failing.id);
    expect(line).toMatchObject({ actions: ['invalid'] });
    expect(line!.reasons[0]).toMatch(/name/);
  });

  it('finds nothing for a member of another organisation', async () => {
    const other = await createOwner(db.db);
    const api = callerFor(db.db, other.user);
    expect((await api.history.object({ orgId: other.org.id, objectId: '3' })).runs).toEqual([]);
    await expect(api.history.object({ orgId: s.orgId, objectId: '3' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const three = await contractOf('3');
    await expect(api.history.contract({ orgId: other.org.id, contractId: three.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(api.history.runObjects({ orgId: other.org.id, runId: runIds.first! })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
  });

  it('says where a register object came from', async () => {
    const three = await contractOf('3');
    const origins = await s.api.history.origins({ orgId: s.orgId, objectId: three.targetId! });
    expect(origins).toEqual([
      expect.objectContaining({
        contractId: three.id,
        originId: '3',
        syncId: s.sync.id,
        syncName: s.sync.name,
      }),
    ]);
  });
});

describe('a creation whose version is its contract (migration 0051)', () => {
  it('is listed with the version rows of its run, in contract order, on every page and filter', async () => {
    // The first run's creations: 2 to 5 written out as rows by their later changes (3 updated, 5
    // deleted, 2 and 4 written again or refused), 1 not.
    const implicit = await db.db
      .select({ originId: contracts.originId })
      .from(contracts)
      .where(and(ofSynchronisation(s.sync.id), isNotNull(contracts.createdRunSeq)));
    expect(implicit.map((c) => c.originId)).toEqual(['1']);
    const pages = [];
    for (const page of [1, 2, 3])
      pages.push(await s.api.history.runObjects({ orgId: s.orgId, runId: runIds.first!, pageSize: 2, page }));
    const listed = pages.flatMap((p) => p.rows);
    expect(listed.map((r) => r.originId)).toEqual(['1', '2', '3', '4', '5']);
    expect(listed.every((r) => r.action === 'create')).toBe(true);
    expect(listed.map((r) => r.contractId)).toEqual(
      await Promise.all(['1', '2', '3', '4', '5'].map(async (id) => (await contractOf(id)).id)),
    );
    const creates = await s.api.history.runObjects({
      orgId: s.orgId,
      runId: runIds.first!,
      action: 'create',
    });
    expect(creates.total).toBe(5);
    const updates = await s.api.history.runObjects({
      orgId: s.orgId,
      runId: runIds.first!,
      action: 'update',
    });
    expect(updates).toMatchObject({ total: 0, rows: [], counts: { create: 5 } });
    // The object search finds the creating run through the contract.
    const one = await contractOf('1');
    const found = await s.api.history.object({ orgId: s.orgId, objectId: one.targetId! });
    expect(found.runs).toMatchObject([{ id: runIds.first, actions: ['create'], contractId: one.id }]);
  });

  it('writes the creation of a contract that comes back after its deletion as a row of its own', async () => {
    await send('POST', '/people', { id: 5, name: 'Person 5', email: 'person5@example.test', city: 'Leiden' });
    const back = await run();
    expect(back).toMatchObject({ created: 1 });
    const five = await contractOf('5');
    expect(five.createdRunSeq).toBeNull();
    const history = await s.api.history.contract({ orgId: s.orgId, contractId: five.id });
    expect(history.versions.map((v) => [v.action, v.runId])).toEqual([
      ['create', back.id],
      ['delete', runIds.deleted],
      ['create', runIds.first],
    ]);
    expect(history.versions[0]!.data).toMatchObject({ name: 'Person 5' });
    const listed = await s.api.history.runObjects({ orgId: s.orgId, runId: back.id });
    expect(listed).toMatchObject({ total: 1, counts: { create: 1 }, rows: [{ originId: '5' }] });
  });

  it('is written out once, as it was, when the contract changes in another way (a refused write)', async () => {
    const one = await contractOf('1');
    expect(one.createdRunSeq).not.toBeNull();
    await send('PATCH', '/people/1', { name: '' });
    await run();
    expect(await contractOf('1')).toMatchObject({ createdRunSeq: null, status: 'invalid' });
    const history = await s.api.history.contract({ orgId: s.orgId, contractId: one.id });
    expect(history.versions).toMatchObject([
      {
        action: 'create',
        runId: runIds.first,
        originHash: one.originHash,
        targetHash: one.targetHash,
        data: { name: 'Person 1' },
      },
    ]);
    const rows = await db.db
      .select({ id: contractVersions.id })
      .from(contractVersions)
      .where(eq(contractVersions.contractSeq, one.seq));
    expect(rows).toHaveLength(1);
  });
});

describe('a creation whose run is gone', () => {
  it('reads as by no run, and its run number is never given to another run', async () => {
    await send('POST', '/people', { id: 6, name: 'Person 6', email: 'person6@example.test', city: 'Delft' });
    const creating = await run();
    expect(creating).toMatchObject({ created: 1 });
    const six = await contractOf('6');
    const [gone] = await db.db.select({ seq: runs.seq }).from(runs).where(eq(runs.id, creating.id));
    expect(six.createdRunSeq).toBe(gone!.seq);
    // As retention (or an operator) deletes a run's log: the newest run, whose number the contract names.
    await db.client.execute({ sql: 'DELETE FROM runs WHERE id = ?', args: [creating.id] });
    const next = await run();
    const [after] = await db.db.select({ seq: runs.seq }).from(runs).where(eq(runs.id, next.id));
    expect(after!.seq).toBeGreaterThan(gone!.seq!);
    const history = await s.api.history.contract({ orgId: s.orgId, contractId: six.id });
    expect(history.versions).toMatchObject([{ action: 'create', runId: null, data: { name: 'Person 6' } }]);
    // Written out later, the row names no run either (runs.seq is a foreign key of the versions).
    await send('PATCH', '/people/6', { name: 'Person six' });
    await run();
    const written = await s.api.history.contract({ orgId: s.orgId, contractId: six.id });
    expect(written.versions.map((v) => [v.action, v.runId === null])).toEqual([
      ['update', false],
      ['create', true],
    ]);
  });
});

describe('two-way runs', () => {
  it('record a version for each object written to either side, and none for unchanged pairs', async () => {
    const crm = await startJsonServer({
      people: [
        { id: 1, name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
        { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Delft' },
      ],
    });
    try {
      const t = await restTwoWay(db.db, crm.url);
      const first = await t.run();
      expect(first.created).toBe(2);
      expect((await versionsOfRun(first.id)).map((r) => r.action)).toEqual(['create', 'create']);
      expect((await versionsOfRun((await t.run()).id)).length).toBe(0);
      // An edit in the register goes to the source: a write-back, with the register object as its data.
      const [ada] = (await t.registerObjects()).filter((o) => o.data.name === 'Ada');
      const edited = { name: 'Ada', email: 'ada@example.test', city: 'Amsterdam' };
      await t.api.registers.updateObject({
        orgId: t.orgId,
        objectId: ada!.id,
        version: ada!.version,
        data: edited,
      });
      const back = await t.run();
      const rows = await versionsOfRun(back.id);
      expect(rows.map((r) => [r.action, JSON.parse(r.data!) as unknown])).toEqual([['write-back', edited]]);
      const history = await t.api.history.contract({ orgId: t.orgId, contractId: rows[0]!.contractId });
      expect(history.versions[0]!.changes).toEqual([
        { path: 'city', kind: 'changed', before: 'Leiden', after: 'Amsterdam' },
      ]);
    } finally {
      await crm.stop();
    }
  });
});
