// Connections through /api/v1, as a program sets one up with a key: discover what a REST source offers,
// create the schema, mapping and synchronisation of a data type in one call, read it side by side,
// schedule it, run every member (test, force; disabled members named), and ungroup it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { newOrg } from '../helpers/sync-more';
import { people } from '../helpers/sync-setup';
import { apiClient, problemOf, useDatabase } from './client';
import type { components } from './openapi';

type Detail = components['schemas']['ConnectionDetail'];

let db: TestDatabase;
let peer: JsonServer;
let api: ReturnType<typeof apiClient>;
let sourceId: string;
let connection: Detail;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(12) });
  const org = await newOrg(db.db);
  const source = await org.api.sources.create({
    orgId: org.orgId,
    name: 'People API',
    type: 'rest',
    config: { baseUrl: peer.url },
  });
  sourceId = source.id;
  api = apiClient((await org.api.apiKeys.create({ orgId: org.orgId, name: 'ci', scopes: ['admin'] })).key);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const byId = (connectionId: string) => ({ params: { path: { connectionId } } });

async function detail(connectionId: string) {
  await embeddedRunnerFor(db.db).idle();
  return (await api.GET('/connections/{connectionId}', byId(connectionId))).data!;
}

describe('setting up', () => {
  it('discovers an endpoint’s data type and creates its schema, mapping and synchronisation', async () => {
    const found = await api.POST('/connections/discover', {
      body: { sourceId, endpoints: ['/people?_page=1&_limit=5'] },
    });
    expect(found.response.status).toBe(200);
    expect(found.data).toMatchObject({ ok: true, failures: [] });
    const type = found.data!.types![0]!;
    expect(type).toMatchObject({ kind: 'endpoint', idField: 'id', problem: null });
    expect(type.fields.map((f) => f.name)).toEqual(['id', 'name', 'email', 'address']);

    const created = await api.POST('/connections', {
      body: { name: 'People', sourceId, types: [{ ...type, idField: type.idField! }] },
    });
    expect(created.response.status).toBe(201);
    connection = created.data!;
    expect(connection).toMatchObject({ name: 'People', sourceId, scheduleCron: null });
    expect(connection.registerId).toEqual(expect.any(String));
    expect(connection.members).toHaveLength(1);
    expect(connection.members[0]).toMatchObject({
      enabled: true,
      sourceEndpoint: '/people?_page=1&_limit=5',
      lastRun: null,
      contracts: { total: 0, byStatus: {} },
    });
    const member = await api.GET('/synchronisations/{syncId}', {
      params: { path: { syncId: connection.members[0]!.synchronisationId } },
    });
    expect(member.data).toMatchObject({ connectionId: connection.id });
    const listed = await api.GET('/connections');
    expect(listed.data!.items.map((c) => c.id)).toEqual([connection.id]);
  });

  it('names what it cannot create, at the field', async () => {
    const refused = await api.POST('/connections', {
      body: {
        name: 'No id',
        sourceId,
        types: [
          {
            name: 'things',
            kind: 'endpoint',
            endpoint: '/things',
            idField: '',
            fields: [{ name: 'label', type: 'string', nullable: false, key: false }],
          },
        ],
      },
    });
    expect(refused.response.status).toBe(400);
    expect(problemOf(refused.error).errors).toEqual([
      expect.objectContaining({ field: 'body.types.0.idField', pointer: '/types/0/idField' }),
    ]);
  });
});

describe('scheduling', () => {
  it('sets one schedule for every member, keeps what is not sent, and clears it with null', async () => {
    const set = await api.PATCH('/connections/{connectionId}', {
      ...byId(connection.id),
      body: { scheduleCron: '30 6 * * 1-5', scheduleTimezone: 'Europe/Amsterdam' },
    });
    expect(set.data).toMatchObject({ scheduleCron: '30 6 * * 1-5', scheduleTimezone: 'Europe/Amsterdam' });
    const next = new Date(set.data!.nextRunAt!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());

    const zoneOnly = await api.PATCH('/connections/{connectionId}', {
      ...byId(connection.id),
      body: { scheduleTimezone: 'UTC' },
    });
    expect(zoneOnly.data).toMatchObject({ scheduleCron: '30 6 * * 1-5', scheduleTimezone: 'UTC' });
    expect(new Date(zoneOnly.data!.nextRunAt!).getUTCHours()).toBe(6);

    const bad = await api.PATCH('/connections/{connectionId}', {
      ...byId(connection.id),
      body: { scheduleCron: 'weekdays' },
    });
    expect(bad.response.status).toBe(400);
    expect(problemOf(bad.error).errors?.map((e) => e.field)).toEqual(['body.scheduleCron']);

    const cleared = await api.PATCH('/connections/{connectionId}', {
      ...byId(connection.id),
      body: { scheduleCron: null },
    });
    expect(cleared.data).toMatchObject({ scheduleCron: null, nextRunAt: null });
  });
});

describe('running', () => {
  it('tests, runs and force-runs every member, and a retried request gets the same runs', async () => {
    const test = await api.POST('/connections/{connectionId}/runs', {
      ...byId(connection.id),
      body: { test: true },
    });
    expect(test.response.status).toBe(202);
    expect(test.data!.runs).toHaveLength(1);
    expect(test.data!.runs[0]!.run).toMatchObject({ test: true, trigger: 'api' });
    // A test run is not the member's latest run on the connection's page.
    expect((await detail(connection.id)).members[0]!.lastRun).toBeNull();

    const headers = { 'idempotency-key': 'nightly-2026-12-03' };
    const run = await api.POST('/connections/{connectionId}/runs', {
      ...byId(connection.id),
      headers,
      body: {},
    });
    const retried = await api.POST('/connections/{connectionId}/runs', {
      ...byId(connection.id),
      headers,
      body: {},
    });
    expect(retried.response.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.data!.runs[0]!.run.id).toBe(run.data!.runs[0]!.run.id);
    const afterRun = await detail(connection.id);
    expect(afterRun.members[0]).toMatchObject({
      lastRun: { id: run.data!.runs[0]!.run.id, result: 'success', counts: { created: 12 } },
      contracts: { total: 12, byStatus: { synced: 12 } },
    });

    const forced = await api.POST('/connections/{connectionId}/runs', {
      ...byId(connection.id),
      body: { force: true },
    });
    expect(forced.data!.runs[0]!.run).toMatchObject({ force: true });
    expect((await detail(connection.id)).members[0]!.lastRun).toMatchObject({
      id: forced.data!.runs[0]!.run.id,
      counts: { rewritten: 12, skipped: 0 },
    });
  });

  it('names a disabled member instead of running it; a test run still tests it', async () => {
    const memberId = connection.members[0]!.synchronisationId;
    await api.POST('/synchronisations/{syncId}/disable', { params: { path: { syncId: memberId } } });
    const run = await api.POST('/connections/{connectionId}/runs', { ...byId(connection.id), body: {} });
    expect(run.data).toEqual({
      runs: [],
      skipped: [{ synchronisationId: memberId, name: connection.members[0]!.name, reason: 'disabled' }],
    });
    const test = await api.POST('/connections/{connectionId}/runs', {
      ...byId(connection.id),
      body: { test: true },
    });
    expect(test.data!.runs.map((r) => r.synchronisationId)).toEqual([memberId]);
    await api.POST('/synchronisations/{syncId}/enable', { params: { path: { syncId: memberId } } });
  });
});

describe('ungrouping', () => {
  it('deletes the connection and keeps its synchronisations, each on its own', async () => {
    const memberId = connection.members[0]!.synchronisationId;
    await embeddedRunnerFor(db.db).idle();
    const gone = await api.DELETE('/connections/{connectionId}', byId(connection.id));
    expect(gone.response.status).toBe(204);
    expect((await api.GET('/connections/{connectionId}', byId(connection.id))).response.status).toBe(404);
    const member = await api.GET('/synchronisations/{syncId}', { params: { path: { syncId: memberId } } });
    expect(member.data).toMatchObject({ id: memberId, connectionId: null });
  });
});
