// An update the REST target answers 404 at the id it gave the object (json-server B gives ids of its own).
// Concord never sends the create again blindly (a second copy, if the object is still there under another
// id or out of sight): without a way to confirm it is gone, the object is refused with what a person can
// do. With a match field, the target is asked first: none → created again once; held at another id →
// updated there and linked; listed at the very id that answered 404 → the update is refused, said so.
// Where Concord chooses the address (creates are PUT at /people/{{originId}}, a small node:http peer that
// keeps what is PUT there), it is created again there: a repeat lands on the same object.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

type Row = Record<string, unknown>;

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
};
const MATCHED: RestTargetConfigInput = { ...TARGET, match: { field: 'email' } };

let db: TestDatabase;
const peers: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

/** Persons 1–3 synced from A into B; then person 2 renamed at A, so the next run updates it in B. */
async function synced(target: RestTargetConfigInput) {
  const A = await startJsonServer({ people: people(3) });
  const B = await startJsonServer({ people: [] });
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, target);
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const contractOf = async (originId: string) => {
    const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 50 });
    return rows.find((c) => c.originId === originId)!;
  };
  const inB = async () => (await (await fetch(`${B.url}/people`)).json()) as Row[];
  const writesToB = async () =>
    (await B.requests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
  const inB2 = async () => (await inB()).filter((p) => p['email'] === 'person2@example.test');
  expect(await run()).toMatchObject({ created: 3 });
  const id = (await contractOf('2')).targetId!;
  await fetch(`${A.url}/people/2`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Two Renamed' }),
  });
  return { A, B, s, run, contractOf, inB, inB2, writesToB, id };
}

const deleteAtB = (t: { B: JsonServer; id: string }) =>
  fetch(`${t.B.url}/people/${t.id}`, { method: 'DELETE' });

describe('an update answered 404 at the id the target gave the object', () => {
  it('without a match field: not created again, refused with what a person can do', async () => {
    const t = await synced(TARGET);
    await deleteAtB(t);

    const second = await t.run();
    expect(second).toMatchObject({ created: 0, updated: 0, failed: 1 });
    const contract = await t.contractOf('2');
    expect(contract).toMatchObject({ status: 'rejected', targetId: t.id });
    expect(contract.lastError).toContain(
      `The target no longer has this object at its id \`${t.id}\` (PUT ${t.B.url}/people/${t.id} answered 404`,
    );
    expect(contract.lastError).toContain('Concord does not create it again by itself');
    expect(contract.lastError).toContain(
      'To have it created again, set a match field in the target settings',
    );
    const { rows: entries } = await t.s.api.runs.entries({ orgId: t.s.orgId, runId: second.id });
    expect(entries.map((e) => e.reason)).toEqual([contract.lastError]);
    expect(await t.writesToB()).toEqual([
      'POST /people',
      'POST /people',
      'POST /people',
      `DELETE /people/${t.id}`,
      `PUT /people/${t.id}`,
    ]);
    expect(await t.inB2()).toEqual([]);

    // Refused, not transient: not sent again every run while it stays as it is.
    expect(await t.run()).toMatchObject({ updated: 0, failed: 0 });
    expect(await t.writesToB()).toHaveLength(5);
  });

  it('with a match field the target holds none for: created again, once, and linked', async () => {
    const t = await synced(MATCHED);
    await deleteAtB(t);

    const second = await t.run();
    expect(second).toMatchObject({ result: 'success', created: 1, updated: 0, failed: 0 });
    const [again] = await t.inB2();
    expect(again).toMatchObject({ name: 'Two Renamed' });
    const newId = String(again!['id']);
    expect(newId).not.toBe(t.id);
    expect(await t.contractOf('2')).toMatchObject({ status: 'synced', targetId: newId });
    const { rows: entries } = await t.s.api.runs.entries({ orgId: t.s.orgId, runId: second.id });
    expect(entries).toEqual([
      expect.objectContaining({
        originId: '2',
        action: 'create',
        reason: `The target no longer had this object at its id \`${t.id}\` (404): looked up by its match field \`email\`, it holds none, so it was created again; its id now is \`${newId}\`.`,
      }),
    ]);
    // The requests of the run (the test's own reads of /people aside).
    const asked = (await t.B.requests()).map((r) => `${r.method} ${r.url}`);
    expect(asked.filter((r) => r !== 'GET /people').slice(-3)).toEqual([
      `PUT /people/${t.id}`,
      'GET /people?email=person2%40example.test',
      'POST /people',
    ]);

    // Linked: the next change is an update at the new id.
    await fetch(`${t.A.url}/people/2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Two Again' }),
    });
    expect(await t.run()).toMatchObject({ created: 0, updated: 1, failed: 0 });
    expect(await t.inB2()).toEqual([expect.objectContaining({ id: again!['id'], name: 'Two Again' })]);
    expect((await t.writesToB()).filter((w) => w === 'POST /people')).toHaveLength(4);
  });

  it('with a match field the target holds it under another id: updated there and linked, not created', async () => {
    const t = await synced(MATCHED);
    // Someone moved it in B: gone at its id, the same person at id 40.
    const [held] = await t.inB2();
    await deleteAtB(t);
    await fetch(`${t.B.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...held, id: 40 }),
    });

    const second = await t.run();
    expect(second).toMatchObject({ created: 0, updated: 1, failed: 0 });
    expect(await t.contractOf('2')).toMatchObject({ status: 'synced', targetId: '40' });
    expect(await t.inB2()).toEqual([expect.objectContaining({ id: 40, name: 'Two Renamed' })]);
    const { rows: entries } = await t.s.api.runs.entries({ orgId: t.s.orgId, runId: second.id });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'update',
        reason: expect.stringContaining('it holds it at `40`: updated there, and linked.'),
      }),
    ]);
    expect((await t.writesToB()).filter((w) => w === 'POST /people')).toHaveLength(4);
  });

  it('lists it at that very id: the update is refused there, nothing created', async () => {
    const t = await synced(MATCHED);
    // The object is there, but its update answers 404 (as to credentials that may read but not write).
    await t.B.faults([{ path: `/people/${t.id}`, method: 'PUT', status: 404, body: {} }]);

    expect(await t.run()).toMatchObject({ created: 0, updated: 0, failed: 1 });
    const contract = await t.contractOf('2');
    expect(contract).toMatchObject({ status: 'rejected', targetId: t.id });
    expect(contract.lastError).toContain(
      'yet looked up by its match field `email` it is listed at that same id: the update itself is refused there',
    );
    expect(await t.inB2()).toEqual([expect.objectContaining({ name: 'Person 2' })]);
    expect((await t.writesToB()).filter((w) => w === 'POST /people')).toHaveLength(3);
  });
});

/** People at addresses their sender chooses: PUT /people/:key creates or replaces, PATCH merges (404 when none). */
async function startKeyedPeople() {
  const held = new Map<string, Row>();
  const log: string[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      log.push(`${req.method} ${url.pathname}`);
      const key = /^\/people\/([^/]+)$/.exec(url.pathname)?.[1];
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'GET' && url.pathname === '/people') return send(200, [...held.values()]);
      if (!key) return send(404, {});
      if (req.method === 'PUT') {
        held.set(key, { ...(JSON.parse(text) as Row), id: key });
        return send(200, held.get(key));
      }
      if (req.method === 'PATCH') {
        const current = held.get(key);
        if (!current) return send(404, { error: 'no such person' });
        held.set(key, { ...current, ...(JSON.parse(text) as Row), id: key });
        return send(200, held.get(key));
      }
      if (req.method === 'DELETE') return send(held.delete(key) ? 200 : 404, {});
      return send(405, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const peer = {
    url: `http://127.0.0.1:${port}`,
    held,
    log,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  peers.push(peer);
  return peer;
}

describe('an update answered 404 where Concord chooses the address of a create', () => {
  it('creates it again at that address', async () => {
    const B = await startKeyedPeople();
    const A = await startJsonServer({ people: people(3) });
    peers.push(A);
    const s = await restToRest(db.db, A.url, B.url, {
      createEndpoint: '/people/{{originId}}',
      createMethod: 'PUT',
      updateEndpoint: '/people/{{targetId}}',
      updateMethod: 'PATCH',
    });
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
    expect(await run()).toMatchObject({ created: 3 });
    B.held.delete('2');
    await fetch(`${A.url}/people/2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Two Renamed' }),
    });

    const second = await run();
    expect(second).toMatchObject({ created: 1, failed: 0 });
    expect(B.log.slice(-2)).toEqual(['PATCH /people/2', 'PUT /people/2']);
    expect(B.held.get('2')).toMatchObject({ name: 'Two Renamed' });
    expect(B.held.size).toBe(3);
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: second.id });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'create',
        reason: expect.stringContaining(
          'created again at the address Concord gives it (PUT /people/{{originId}}), where a repeat lands on the same object',
        ),
      }),
    ]);
  });
});
