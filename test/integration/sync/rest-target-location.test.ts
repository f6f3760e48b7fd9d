// A REST target that answers a create as many do: 201 Created, the new object's address in the
// `Location` header, and no body (or one without the id). Before, Concord read the id only from the
// body: every create was "may exist", the run ended in error, and once an object changed it was POSTed
// again — a second copy at the target, the first never updated. Now the id is read from a Location whose
// address the update endpoint makes of that id: the object is created once and updated there. So is the
// id of a PUT create at an address Concord made from the object, answered 201 or 204 with no body: every
// such create was "may exist", and the object never counted as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';
import { json, startServer, text, type TestServer } from './http/server';

let db: TestDatabase;
let A: JsonServer;
let B: TestServer;
/** What B holds, by the id it gave; how it answers a create. */
const held = new Map<string, Record<string, unknown>>();
let nextId = 100;
let location = (id: string) => `/api/people/${id}`;
let answer: 'empty' | 'text' | 'json-without-id' = 'empty';

beforeAll(async () => {
  db = await createTestDatabase();
  A = await startJsonServer({ people: people(3) });
  B = await startServer((request, res) => {
    const id = request.url.split('/')[3] ?? '';
    if (request.method === 'POST') {
      const given = String(nextId++);
      held.set(given, JSON.parse(request.body) as Record<string, unknown>);
      const headers = { location: location(given) };
      if (answer === 'json-without-id') return json(res, 201, { status: 'created' }, headers);
      return text(res, 201, answer === 'text' ? 'Created' : '', headers);
    }
    if (request.method === 'PUT' && held.has(id)) {
      held.set(id, JSON.parse(request.body) as Record<string, unknown>);
      return text(res, 204, '');
    }
    json(res, 404, { error: 'no such person' });
  });
});
afterAll(async () => {
  await A.stop();
  await B.close();
  await db.close();
});

const TARGET = {
  createEndpoint: '/api/people',
  updateEndpoint: '/api/people/{{targetId}}',
  deleteEndpoint: '/api/people/{{targetId}}',
  updateMethod: 'PUT',
} as const;

describe('a create answered 201 with the new object in its Location header', () => {
  it('takes the id from there: created once, and a change updates that object', async () => {
    const s = await restToRest(db.db, A.url, B.origin, TARGET);
    const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
    expect(await run()).toMatchObject({ result: 'success', created: 3, failed: 0 });
    const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 10 });
    expect(rows.map((c) => c.targetId).sort()).toEqual(['100', '101', '102']);

    await fetch(`${A.url}/people/1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed' }),
    });
    expect(await run()).toMatchObject({ result: 'success', created: 0, updated: 1, failed: 0 });
    expect(held.size).toBe(3);
    expect([...held.values()].map((p) => p['name'])).toContain('Renamed');
  });

  it('reads it beside a text or JSON answer without the id, and with an absolute Location', async () => {
    answer = 'text';
    location = (id) => `${B.origin}/api/people/${id}`;
    const first = await restToRest(db.db, A.url, B.origin, TARGET);
    expect(await runThroughApi(first.api, first.orgId, first.sync.id)).toMatchObject({ created: 3 });
    answer = 'json-without-id';
    const second = await restToRest(db.db, A.url, B.origin, TARGET);
    expect(await runThroughApi(second.api, second.orgId, second.sync.id)).toMatchObject({ created: 3 });
  });

  it('does not take an id from a Location the update endpoint would not reach', async () => {
    answer = 'empty';
    location = () => '/api/jobs/7/status';
    const s = await restToRest(db.db, A.url, B.origin, TARGET);
    const result = await runThroughApi(s.api, s.orgId, s.sync.id);
    expect(result).toMatchObject({ created: 0, failed: 3 });
    const { rows } = await s.api.runs.entries({ orgId: s.orgId, runId: result.id });
    expect(rows[0]?.reason).toContain('Concord does not know the id it was given');
  });
});

describe('a PUT create at an address made from the object, answered without a body', () => {
  it('takes the id from that address: created, then updated there', async () => {
    const A2 = await startJsonServer({ people: people(3) });
    const stored = new Map<string, unknown>();
    const C = await startServer((request, res) => {
      if (request.method !== 'PUT') return json(res, 405, { error: 'PUT only' });
      const known = stored.has(request.url);
      stored.set(request.url, JSON.parse(request.body));
      text(res, known ? 204 : 201, '');
    });
    try {
      const s = await restToRest(db.db, A2.url, C.origin, {
        createEndpoint: '/people/{{originId}}',
        createMethod: 'PUT',
        updateEndpoint: '/people/{{targetId}}',
        deleteEndpoint: '/people/{{targetId}}',
        updateMethod: 'PUT',
      });
      const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
      expect(await run()).toMatchObject({ result: 'success', created: 3, failed: 0 });
      const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 10 });
      expect(rows.map((c) => [c.originId, c.status, c.targetId]).sort()).toEqual([
        ['1', 'synced', '1'],
        ['2', 'synced', '2'],
        ['3', 'synced', '3'],
      ]);
      await fetch(`${A2.url}/people/2`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Renamed' }),
      });
      expect(await run()).toMatchObject({ result: 'success', updated: 1, failed: 0 });
      expect(stored.get('/people/2')).toMatchObject({ name: 'Renamed' });
      expect(stored.size).toBe(3);
    } finally {
      await A2.stop();
      await C.close();
    }
  });
});
