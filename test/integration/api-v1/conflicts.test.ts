// Conflicts through /api/v1, as a program reviewing them would: the queue (filtered, paged), one conflict
// with its three-way diff per field, and resolving it — the same checks as the Conflicts page (every
// conflicting field picked, only the conflict's fields), answered as problems at the field; the run the
// resolution requests writes it to both sides. Resolving takes the `write` scope, not `run`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { apiClient, problemOf, raw, useDatabase } from './client';
import { CREW, openConflicts, runEnded } from './review-setup';

let db: TestDatabase;
let peer: JsonServer;
let api: ReturnType<typeof callerFor>;
let orgId: string;
let seeded: Awaited<ReturnType<typeof openConflicts>>;
const keys: Record<'read' | 'write' | 'run', string> = { read: '', write: '', run: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ crew: CREW });
  const owner = await createOwner(db.db);
  api = callerFor(db.db, owner.user);
  orgId = owner.org.id;
  for (const scope of ['read', 'write', 'run'] as const)
    keys[scope] = (await api.apiKeys.create({ orgId, name: `reviewer ${scope}`, scopes: [scope] })).key;
  // Ada and Bob changed on both sides: two open conflicts.
  seeded = await openConflicts(db.db, api, orgId, peer.url, [1, 2]);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const reader = () => apiClient(keys.read);
const writer = () => apiClient(keys.write);
const conflictOf = (name: string) =>
  seeded.conflicts.find((c) => c.originId === String(CREW.find((p) => p.name === name)!.id))!;
const resolve = (
  conflictId: string,
  body: { take: 'source' | 'target' | 'fields'; fields?: Record<string, 'source' | 'target'> },
) => writer().POST('/conflicts/{conflictId}/resolution', { params: { path: { conflictId } }, body });

describe('the conflict queue', () => {
  it('lists open conflicts newest first, filtered by status and synchronisation, page by page', async () => {
    const open = await reader().GET('/conflicts', {
      params: { query: { status: 'open', synchronisationId: seeded.sync.id } },
    });
    expect(open.data!.total).toBe(2);
    expect(open.data!.items.map((c) => c.originId).sort()).toEqual(['1', '2']);
    expect(open.data!.items[0]).toMatchObject({
      synchronisationId: seeded.sync.id,
      synchronisationName: 'Crew ⇄ register',
      kind: 'both-changed',
      status: 'open',
      resolvedAt: null,
    });

    const first = await reader().GET('/conflicts', { params: { query: { limit: 1 } } });
    expect(first.data!.items).toHaveLength(1);
    expect(first.response.headers.get('link')).toMatch(/rel="next"/);
    const second = await reader().GET('/conflicts', {
      params: { query: { limit: 1, cursor: first.data!.nextCursor! } },
    });
    expect(second.data!.items).toHaveLength(1);
    expect(second.data!.nextCursor).toBeNull();
    expect(second.data!.items[0]!.id).not.toBe(first.data!.items[0]!.id);

    const resolved = await reader().GET('/conflicts', { params: { query: { status: 'resolved' } } });
    expect(resolved.data).toMatchObject({ items: [], total: 0 });
  });

  it('shows one conflict with base, source and target per field, and which fields conflict', async () => {
    const { data } = await reader().GET('/conflicts/{conflictId}', {
      params: { path: { conflictId: conflictOf('Ada').id } },
    });
    expect(data).toMatchObject({
      kind: 'both-changed',
      status: 'open',
      synchronisation: { id: seeded.sync.id, conflictPolicy: 'manual', enabled: true },
      base: { name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
      source: { name: 'Ada L.', email: 'ada@example.test', city: 'Berlin' },
      target: { name: 'Ada', email: 'ada@example.test', city: 'Paris' },
      resolution: null,
      run: null,
    });
    const byPath = Object.fromEntries(data!.fields.map((f) => [f.path, f]));
    expect(byPath.city).toEqual({
      path: 'city',
      base: 'Leiden',
      source: 'Berlin',
      target: 'Paris',
      changedIn: 'both',
      conflicting: true,
      key: false,
    });
    expect(byPath.name).toMatchObject({
      source: 'Ada L.',
      target: 'Ada',
      changedIn: 'source',
      conflicting: false,
    });
    expect(byPath.email).toMatchObject({ changedIn: 'none', conflicting: false });
  });
});

describe('a conflicts cursor whose conflict is gone', () => {
  it('is refused as a cursor (400 at query.cursor), not answered "The conflict was not found"', async () => {
    // The conflict a page ended on, since gone with its synchronisation (or another organisation's).
    const cursor = Buffer.from(JSON.stringify({ id: 'cfl_01gone00000000000000000000' })).toString(
      'base64url',
    );
    const { response, error } = await reader().GET('/conflicts', { params: { query: { cursor } } });
    expect(response.status).toBe(400);
    expect(problemOf(error).errors?.map((e) => e.field)).toEqual(['query.cursor']);
  });
});

describe('resolving a conflict', () => {
  it('needs the write scope: a key that may only run synchronisations is refused', async () => {
    const { response, error } = await apiClient(keys.run).POST('/conflicts/{conflictId}/resolution', {
      params: { path: { conflictId: conflictOf('Ada').id } },
      body: { take: 'source' },
    });
    expect(response.status).toBe(403);
    expect(problemOf(error).detail).toMatch(/"write" scope/);
  });

  it('refuses a pick for a field the conflict does not have, naming it (422)', async () => {
    const { response, error } = await resolve(conflictOf('Ada').id, {
      take: 'fields',
      fields: { city: 'target', cty: 'source' },
    });
    expect(response.status).toBe(422);
    expect(problemOf(error)).toMatchObject({
      status: 422,
      detail: '“cty” is not a field of this conflict. Pick sides for the fields the table shows.',
      errors: [{ field: 'body.fields.cty', pointer: '/fields/cty' }],
    });
  });

  it('refuses picks that leave a conflicting field open, naming it (422)', async () => {
    const { response, error } = await resolve(conflictOf('Ada').id, {
      take: 'fields',
      fields: { name: 'target' },
    });
    expect(response.status).toBe(422);
    expect(problemOf(error)).toMatchObject({
      detail: 'Both sides changed “city”: pick the source or the target for it.',
      errors: [{ field: 'body.fields.city', pointer: '/fields/city' }],
    });
    const { data } = await reader().GET('/conflicts/{conflictId}', {
      params: { path: { conflictId: conflictOf('Ada').id } },
    });
    expect(data).toMatchObject({ status: 'open', resolution: null });
  });

  it('refuses a body that is not a resolution, at its field (400)', async () => {
    const res = await raw('POST', `/conflicts/${conflictOf('Ada').id}/resolution`, {
      key: keys.write,
      body: JSON.stringify({ take: 'both' }),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ field: 'body.take' }] });
  });

  it('per field: the run it requests writes the merged object to both sides, and the conflict is resolved', async () => {
    const ada = conflictOf('Ada');
    const { data, response } = await resolve(ada.id, { take: 'fields', fields: { city: 'target' } });
    expect(response.status).toBe(202);
    const merged = { name: 'Ada L.', email: 'ada@example.test', city: 'Paris' };
    expect(data).toMatchObject({
      merged,
      runId: expect.stringMatching(/^run_/) as string,
      alreadyActive: false,
    });
    const run = await runEnded(reader(), data!.runId!);
    expect(run).toMatchObject({ trigger: 'resolution', status: 'finished', counts: { failed: 0 } });
    // Bob's conflict still waits.
    expect(run.message).toMatch(/1 conflict waits for a person/);

    const fromPeer = (await (await fetch(`${peer.url}/crew/1`)).json()) as Record<string, unknown>;
    expect(fromPeer).toEqual({ id: 1, ...merged });
    expect((await seeded.live()).find((o) => o.id === ada.targetId)?.data).toEqual(merged);
    const { data: after } = await reader().GET('/conflicts/{conflictId}', {
      params: { path: { conflictId: ada.id } },
    });
    expect(after).toMatchObject({
      status: 'resolved',
      resolvedBy: 'person',
      resolution: { take: 'fields', fields: { city: 'target' }, merged },
      run: { id: data!.runId, status: 'finished' },
    });
  });

  it('a resolved conflict is not resolved again (409)', async () => {
    const { response, error } = await resolve(conflictOf('Ada').id, { take: 'source' });
    expect(response.status).toBe(409);
    expect(problemOf(error).detail).toMatch(/already resolved/);
  });

  it('keeping the source version writes it to the register', async () => {
    const bob = conflictOf('Bob');
    const { data } = await resolve(bob.id, { take: 'source' });
    expect(data!.merged).toEqual({ name: 'Bob L.', email: 'bob@example.test', city: 'Berlin' });
    await runEnded(reader(), data!.runId!);
    expect((await seeded.live()).find((o) => o.id === bob.targetId)?.data).toEqual(data!.merged);
    const { data: after } = await reader().GET('/conflicts/{conflictId}', {
      params: { path: { conflictId: bob.id } },
    });
    // The register's version lost, and is kept on the conflict.
    expect(after).toMatchObject({
      status: 'resolved',
      resolution: { take: 'source' },
      losing: { name: 'Bob', email: 'bob@example.test', city: 'Paris' },
    });
    const open = await reader().GET('/conflicts', { params: { query: { status: 'open' } } });
    expect(open.data!.items).toEqual([]);
  });
});
