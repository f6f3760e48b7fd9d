// Every route of /api/v1 — read from the route list (server/api/v1/routes/index.ts), so a new route is
// covered without editing this file — with a key: the key's scope allows it (and the route's example
// request runs), a key without the scope is refused (403), and another organisation's key gets 404 for
// this organisation's ids (or, on a list, sees none of them). An example names the ids it needs as
// `"{restSourceId}"`, filled in here as the path's are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '@/server/api/v1/routes';
import type { RouteDef } from '@/server/api/v1/define';
import { API_SCOPES, type ApiScope } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createOwner, callerFor } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';
import { apiClient, raw, useDatabase } from './client';
import { CREW, holdDeletions, openConflicts, runEnded } from './review-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let ids: Record<string, string>;
const victimKeys = {} as Record<ApiScope, string>;
let outsiderKey: string;

const keyed = ROUTES.filter((r) => r.path !== '/openapi.json');
const isDelete = (r: RouteDef) => r.method === 'DELETE';
const isSyncDelete = (r: RouteDef) => isDelete(r) && r.path === '/synchronisations/{syncId}';
// Deletions last, so the other routes still find what they are called on; the synchronisation's the very
// last, as its runs and everything it uses (a register, a source kept while in use) go or free up with it.
const ordered = [
  ...keyed.filter((r) => !isDelete(r)),
  ...keyed.filter((r) => isDelete(r) && !isSyncDelete(r)),
  ...keyed.filter(isSyncDelete),
];
const label = (r: RouteDef) => `${r.method} ${r.path}`;
const pathFor = (r: RouteDef) =>
  r.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `missing-${name}`);
/** An example's `"{sourceId}"` strings are this organisation's ids. */
const bodyFor = (r: RouteDef) =>
  r.method === 'GET' || r.method === 'DELETE'
    ? undefined
    : JSON.stringify(r.example ?? {}).replace(/"\{(\w+)\}"/g, (whole, name: string) =>
        ids[name] ? JSON.stringify(ids[name]) : whole,
      );
const namesIds = (r: RouteDef) => /"\{\w+\}"/.test(JSON.stringify(r.example ?? {}));

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(2), crew: CREW });
  s = await restToRegister(db.db, peer.url);
  for (const scope of API_SCOPES)
    victimKeys[scope] = (await s.api.apiKeys.create({ orgId: s.orgId, name: scope, scopes: [scope] })).key;
  const writer = apiClient(victimKeys.write);
  const object = await writer.POST('/schemas/{schemaId}/objects', {
    params: { path: { schemaId: s.schema.id } },
    body: { name: 'Ada', email: 'ada@example.test' },
  });
  const run = await apiClient(victimKeys.run).POST('/synchronisations/{syncId}/runs', {
    params: { path: { syncId: s.sync.id } },
    body: { test: true },
  });
  const connection = await s.api.connections.create({
    orgId: s.orgId,
    name: 'People',
    sourceId: s.source.id,
    types: [
      {
        name: 'people',
        kind: 'endpoint',
        endpoint: '/people',
        idField: 'id',
        fields: [{ name: 'id', type: 'integer', nullable: false, key: true }],
      },
    ],
  });
  await embeddedRunnerFor(db.db).idle();
  // Unused by any synchronisation, so their deletion is allowed; a JSON file source takes the upload
  // example (a JSON file) and tests the file it reads.
  const fileSource = await s.api.sources.create({
    orgId: s.orgId,
    name: 'Wells file',
    type: 'file',
    config: { format: 'json' },
  });
  const spareMapping = await s.api.mappings.create({
    orgId: s.orgId,
    name: 'Spare',
    config: { mapping: {} },
  });
  await runEnded(apiClient(victimKeys.read), run.data!.run.id);
  // Something to review: both people gone from the source (deletions held) and a conflict.
  await holdDeletions(s, peer.url, [1, 2]);
  const { conflicts } = await openConflicts(db.db, s.api, s.orgId, peer.url, [1]);
  // A contract whose object the source still lists (people 1 and 2 are held), for the contract routes.
  const [contract] = (await s.api.contracts.list({ orgId: s.orgId, status: 'synced', pageSize: 1 })).rows;
  ids = {
    registerId: s.register.id,
    schemaId: s.schema.id,
    objectId: object.data!.id,
    // What a synchronisation's or connection's example reads from: the REST source and its mapping.
    restSourceId: s.source.id,
    personMappingId: s.mapping.id,
    syncId: s.sync.id,
    connectionId: connection.id,
    runId: run.data!.run.id,
    sourceId: fileSource.id,
    mappingId: spareMapping.id,
    conflictId: conflicts[0]!.id,
    contractId: contract!.id,
  };
  const outsider = await createOwner(db.db);
  outsiderKey = (
    await callerFor(db.db, outsider.user).apiKeys.create({
      orgId: outsider.org.id,
      name: 'x',
      scopes: ['admin'],
    })
  ).key;
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

describe('the route list', () => {
  it('holds the resources of the API', () => {
    expect(keyed.length).toBeGreaterThanOrEqual(20);
    expect(new Set(keyed.map(label)).size).toBe(keyed.length);
    expect(new Set(keyed.map((r) => r.operationId)).size).toBe(keyed.length);
  });
});

describe.each(ordered.map((r) => [label(r), r] as const))('%s', (_, route) => {
  it('is refused to a key without its scope', async () => {
    const other = API_SCOPES.find((scope) => scope !== route.scope && scope !== 'admin')!;
    const res = await raw(route.method, pathFor(route), { key: victimKeys[other], body: bodyFor(route) });
    expect(res.status).toBe(403);
  });

  it('shows another organisation nothing', async () => {
    const res = await raw(route.method, pathFor(route), { key: outsiderKey, body: bodyFor(route) });
    // This organisation's ids in the path or the body are not found for the other.
    if (route.path.includes('{') || namesIds(route)) {
      expect(res.status).toBe(404);
    } else {
      expect(res.status).toBeLessThan(300);
      const text = JSON.stringify(res.body);
      for (const id of Object.values(ids)) expect(text).not.toContain(id);
    }
  });

  it('is allowed to a key with its scope, and its example runs', async () => {
    // The deletions were rejected just before (the routes list rejecting first): a run holds them again.
    if (route.operationId === 'approveHeldDeletions')
      expect((await runThroughApi(s.api, s.orgId, s.sync.id)).held).toBeGreaterThan(0);
    // The runs requested so far end before anything is deleted from under them.
    if (isDelete(route)) await embeddedRunnerFor(db.db).idle();
    const res = await raw(route.method, pathFor(route), {
      key: victimKeys[route.scope],
      body: bodyFor(route),
    });
    // A register or schema in use is kept (409): allowed, and refused for a reason of its own.
    if (
      route.method === 'DELETE' &&
      (route.path.startsWith('/registers') || route.path.startsWith('/schemas'))
    )
      expect(res.status).toBe(409);
    // The run was a quick test run: it has ended, so there is nothing left to cancel.
    else if (route.operationId === 'cancelRun') {
      // In conflict with the run's state, not bad input.
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ detail: 'This run has already finished.' });
    } else expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  });
});
