// REST to REST through the API: json-server A as the source, json-server B as the REST target. Creates
// with POST, skips on a re-run without sending anything, PUT and PATCH updates, idInRequestBody,
// DELETE of vanished objects, a refused create as a failed object retried next run, and a dry run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractVersions, versionsOfContract } from '@/server/db/schema';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type Fault, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

type Row = Record<string, unknown>;

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
  updateMethod: 'PUT',
};
/** People B held before any sync: never to be touched. */
const B_OWN = [
  { id: 1, name: 'Only in B', email: 'one@b.example' },
  { id: 2, name: 'Also only in B', email: 'two@b.example' },
];

let db: TestDatabase;
const peers: JsonServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

async function peer(data: Record<string, unknown[]>) {
  const started = await startJsonServer(data);
  peers.push(started);
  return started;
}

const send = (server: JsonServer, method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((res) => {
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  });

/** B's people as json-server persisted them, and as it serves them now. */
const persisted = (server: JsonServer) => server.read()['people'] as Row[];
const served = async (server: JsonServer) => (await (await fetch(`${server.url}/people`)).json()) as Row[];

async function setup(
  a: Row[],
  b: Row[],
  target: RestTargetConfigInput = TARGET,
): Promise<{ A: JsonServer; B: JsonServer; s: Awaited<ReturnType<typeof restToRest>> }> {
  const [A, B] = await Promise.all([peer({ people: a }), peer({ people: b })]);
  // Hard deletion: a DELETE request (soft deletion marks objects: rest-target-requests.test.ts).
  const s = await restToRest(db.db, A.url, B.url, target, { deleteMode: 'hard' });
  return { A, B, s };
}

async function contractsOf(s: Awaited<ReturnType<typeof restToRest>>) {
  const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 500 });
  return new Map(rows.map((c) => [c.originId, c]));
}

describe('json-server A into json-server B', () => {
  let A: JsonServer;
  let B: JsonServer;
  let s: Awaited<ReturnType<typeof restToRest>>;
  const run = (mode?: { test?: boolean }) => runThroughApi(s.api, s.orgId, s.sync.id, mode);
  /** The B record a contract points at. */
  const inB = (rows: Row[], targetId: string | null | undefined) =>
    rows.find((r) => String(r['id']) === targetId);

  beforeAll(async () => {
    ({ A, B, s } = await setup(people(25), B_OWN));
  });

  it('creates every object in B with a POST of the mapped object, and remembers B’s ids', async () => {
    expect(await run()).toMatchObject({
      result: 'success',
      found: 25,
      created: 25,
      updated: 0,
      failed: 0,
      pagesFetched: 3,
      complete: true,
    });
    await expect.poll(() => persisted(B)).toHaveLength(27);
    const rows = persisted(B);
    expect(rows.slice(0, 2)).toEqual(B_OWN);
    const contracts = await contractsOf(s);
    expect(contracts.size).toBe(25);
    for (const n of [1, 2, 13, 25]) {
      const contract = contracts.get(String(n));
      expect(contract).toMatchObject({ status: 'synced', lastAction: 'create' });
      // B numbered them after its own two: the contract holds B's id, not A's.
      expect(Number(contract?.targetId)).toBeGreaterThan(2);
      expect(inB(rows, contract?.targetId)).toEqual({
        id: Number(contract?.targetId),
        name: `Person ${n}`,
        email: `person${n}@example.test`,
        city: n % 2 ? 'Leiden' : 'Utrecht',
      });
    }
    expect(new Set([...contracts.values()].map((c) => c.targetId)).size).toBe(25);
    // B's copy is not Concord's to read back: each version keeps the object sent in its own row.
    const versions = await db.db
      .select({ data: contractVersions.data })
      .from(contractVersions)
      .where(versionsOfContract(contracts.get('13')!.id));
    expect(versions.map((v) => JSON.parse(v.data!) as unknown)).toEqual([
      { name: 'Person 13', email: 'person13@example.test', city: 'Leiden' },
    ]);
  });

  it('skips everything on an unchanged re-run and sends nothing to B', async () => {
    const before = persisted(B);
    // A tripwire: any POST, PUT, PATCH or DELETE reaching B now would be refused and show up as failed.
    const tripwire: Fault[] = [
      { path: '/people', method: 'POST', status: 418, body: 'no writes expected' },
      ...before.flatMap((r) =>
        ['PUT', 'PATCH', 'DELETE'].map((method) => ({
          path: `/people/${String(r['id'])}`,
          method,
          status: 418,
          body: 'no writes expected',
        })),
      ),
    ];
    await B.faults(tripwire);
    try {
      expect(await run()).toMatchObject({
        result: 'success',
        found: 25,
        skipped: 25,
        created: 0,
        updated: 0,
        deleted: 0,
        failed: 0,
      });
    } finally {
      await B.clearFaults();
    }
    expect(await served(B)).toEqual(before);
    expect(persisted(B)).toEqual(before);
  });

  it('turns a change in A into a PUT that replaces the record in B', async () => {
    const target = (await contractsOf(s)).get('3')?.targetId;
    // Someone adds a field in B; a PUT of the mapped object replaces the record, so it goes.
    await send(B, 'PATCH', `/people/${target}`, { note: 'added in B' });
    await send(A, 'PATCH', '/people/3', { name: 'Person three', address: { city: 'Delft' } });
    expect(await run()).toMatchObject({ result: 'success', updated: 1, created: 0, skipped: 24, failed: 0 });
    await expect
      .poll(() => inB(persisted(B), target))
      .toEqual({ id: Number(target), name: 'Person three', email: 'person3@example.test', city: 'Delft' });
    expect(persisted(B)).toHaveLength(27);
    expect((await contractsOf(s)).get('3')).toMatchObject({
      status: 'synced',
      lastAction: 'update',
      targetId: target,
    });
  });

  it('DELETEs in B what vanished from A, and only that', async () => {
    const target = (await contractsOf(s)).get('7')?.targetId;
    await send(A, 'DELETE', '/people/7');
    expect(await run()).toMatchObject({ result: 'success', found: 24, deleted: 1, skipped: 24, updated: 0 });
    await expect.poll(() => persisted(B)).toHaveLength(26);
    expect(inB(persisted(B), target)).toBeUndefined();
    expect(persisted(B).slice(0, 2)).toEqual(B_OWN);
    expect((await contractsOf(s)).get('7')).toMatchObject({ status: 'deleted', lastAction: 'delete' });
  });

  it('writes nothing to B in a dry run, says what it would do, and the real run then does it', async () => {
    await send(A, 'PATCH', '/people/5', { name: 'Changed in A' });
    await send(A, 'DELETE', '/people/9');
    await send(A, 'POST', '/people', {
      id: 26,
      name: 'Newcomer',
      email: 'new@example.test',
      address: { city: 'Gouda' },
    });
    const before = persisted(B);
    const contractsBefore = await contractsOf(s);

    const dry = await run({ test: true });
    expect(dry).toMatchObject({ result: 'success', test: true, created: 1, updated: 1, failed: 0 });
    expect(dry.message).toMatch(/delete 1/);
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: dry.id });
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'update',
        originId: '5',
        data: { name: 'Changed in A', email: 'person5@example.test', city: 'Leiden' },
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ action: 'create', originId: '26' }));
    expect(entries).toContainEqual(expect.objectContaining({ action: 'delete', originId: '9' }));

    expect(await served(B)).toEqual(before);
    expect(persisted(B)).toEqual(before);
    expect(await contractsOf(s)).toEqual(contractsBefore);

    expect(await run()).toMatchObject({ result: 'success', created: 1, updated: 1, deleted: 1 });
    await expect.poll(() => persisted(B).map((r) => r['name'])).toContain('Newcomer');
    const names = persisted(B).map((r) => r['name']);
    expect(names).toContain('Changed in A');
    expect(names).not.toContain('Person 9');
    expect(names).toHaveLength(26);
  });
});

describe('PATCH updates with idInRequestBody', () => {
  it('sends only the mapped fields plus the target id, so B keeps what else it holds', async () => {
    const { A, B, s } = await setup(people(6), [], {
      ...TARGET,
      updateMethod: 'PATCH',
      idInRequestBody: 'remoteId',
    });
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
    expect(await run()).toMatchObject({ result: 'success', created: 6 });
    await expect.poll(() => persisted(B)).toHaveLength(6);
    // Creates carry no target id (there is none yet): exactly the mapped object.
    expect(persisted(B).every((r) => !('remoteId' in r) && !('address' in r))).toBe(true);
    for (const r of persisted(B)) await send(B, 'PATCH', `/people/${String(r['id'])}`, { note: 'kept' });

    await send(A, 'PATCH', '/people/2', { name: 'Person two', email: 'two@example.test' });
    expect(await run()).toMatchObject({ result: 'success', updated: 1, skipped: 5, created: 0 });
    const target = (await contractsOf(s)).get('2')?.targetId;
    await expect
      .poll(() => persisted(B).find((r) => String(r['id']) === target))
      .toEqual({
        id: Number(target),
        name: 'Person two',
        email: 'two@example.test',
        city: 'Utrecht',
        note: 'kept',
        remoteId: target,
      });
    const others = persisted(B).filter((r) => String(r['id']) !== target);
    expect(others).toHaveLength(5);
    expect(others.every((r) => r['note'] === 'kept' && !('remoteId' in r))).toBe(true);
  });
});

describe('a write B refuses', () => {
  it('rejects that object with B’s reason while the others are created, and sends it again once it changes', async () => {
    const { A, B, s } = await setup(people(6), []);
    await B.faults([
      {
        path: '/people',
        method: 'POST',
        status: 422,
        headers: { 'content-type': 'application/json' },
        body: { error: 'email is already taken' },
        times: 1,
      },
    ]);
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);

    const first = await run();
    expect(first).toMatchObject({ result: 'warning', found: 6, created: 5, failed: 1 });
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: first.id });
    const failed = entries.filter((e) => e.action === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/people answered 422/);
    expect(failed[0]?.reason).toContain('email is already taken');
    const refused = failed[0]?.originId ?? '';
    // A 422 is B's refusal of this version of the object: kept as rejected, not sent again as it is.
    expect((await contractsOf(s)).get(refused)).toMatchObject({
      status: 'rejected',
      lastError: expect.stringContaining('422') as string,
    });
    await expect.poll(() => persisted(B)).toHaveLength(5);
    expect(persisted(B).map((r) => r['email'])).not.toContain(`person${refused}@example.test`);
    const posts = async () => (await B.requests()).filter((r) => r.method === 'POST').length;
    const postsBefore = await posts();
    const second = await run();
    expect(second).toMatchObject({ result: 'success', created: 0, skipped: 6, failed: 0 });
    // Counted unchanged, but the run's message does not let it pass for synchronised.
    expect(second.message).toContain(
      '1 object the target refused in an earlier run is still refused: it is sent again once it changes',
    );
    expect(await posts()).toBe(postsBefore);
    expect((await contractsOf(s)).get(refused)).toMatchObject({ status: 'rejected' });
    // That run succeeded, but B still lacks the object: the Overview keeps saying so, not "Healthy".
    const overview = await s.api.overview.get({ orgId: s.orgId });
    expect(overview.synchronisations[0]).toMatchObject({
      health: { state: 'warning' },
      objects: 5,
      refused: 1,
    });
    expect(overview.attention).toEqual([
      { kind: 'refused', syncId: s.sync.id, syncName: s.sync.name, count: 1 },
    ]);

    // Once the object changes, it is sent again.
    await fetch(`${A.url}/people/${refused}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed' }),
    });
    const third = await run();
    expect(third).toMatchObject({ result: 'success', created: 1, skipped: 5, failed: 0 });
    expect(third.message).not.toContain('still refused');
    await expect.poll(() => persisted(B)).toHaveLength(6);
    expect(persisted(B).map((r) => r['email'])).toContain(`person${refused}@example.test`);
    expect((await contractsOf(s)).get(refused)).toMatchObject({ status: 'synced', lastAction: 'create' });
    const after = await s.api.overview.get({ orgId: s.orgId });
    expect(after.synchronisations[0]).toMatchObject({ health: { state: 'ok' }, objects: 6, refused: 0 });
    expect(after.attention).toEqual([]);
  });

  it('keeps an object B could not take for now (503) as failed, and sends it again on the next run', async () => {
    const { B, s } = await setup(people(4), []);
    await B.faults([
      {
        path: '/people',
        method: 'POST',
        status: 503,
        headers: { 'content-type': 'application/json' },
        body: { error: 'down for maintenance' },
        // Person 3's POST, more often than the attempts within the run (a POST is tried again with its
        // Idempotency-Key).
        whenBodyHas: 'person3@',
        times: 4,
      },
    ]);
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);

    const first = await run();
    expect(first).toMatchObject({ result: 'warning', found: 4, created: 3, failed: 1 });
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: first.id });
    const failedId = entries.find((e) => e.action === 'failed')?.originId ?? '';
    // A 503 says nothing about the object: it stays failed, to be tried again, not rejected.
    expect((await contractsOf(s)).get(failedId)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('503') as string,
    });

    expect(await run()).toMatchObject({ result: 'success', created: 1, skipped: 3, failed: 0 });
    await expect.poll(() => persisted(B)).toHaveLength(4);
    expect((await contractsOf(s)).get(failedId)).toMatchObject({ status: 'synced', lastAction: 'create' });
  });
});
