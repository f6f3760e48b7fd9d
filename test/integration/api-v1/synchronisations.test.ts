// Synchronisations through /api/v1, as a program configures them with a key: create, change with
// If-Match, switch off and on, run (test, force), delete. Saving goes through the form's checks, so
// the same configurations are refused — the two opposite one-way synchronisations, two-way settings
// that cannot work — with each problem at the field it names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { problemOf } from './client';
import { byId, closeSyncApi, openSyncApi, T0, type SyncApi, type SyncBody } from './sync-api';

let fx: SyncApi;
let db: SyncApi['db'];
let s: SyncApi['s'];
let api: SyncApi['api'];
let pull: SyncBody;

beforeAll(async () => {
  fx = await openSyncApi();
  ({ db, s, api, pull } = fx);
});
afterAll(() => closeSyncApi(fx));

async function runToEnd(runId: string) {
  await embeddedRunnerFor(db.db).idle();
  const { data } = await api.GET('/runs/{runId}', { params: { path: { runId }, query: { entries: 0 } } });
  return data!;
}

describe('creating', () => {
  it('saves what the form saves, with an ETag, and lists it', async () => {
    const { data, response } = await api.POST('/synchronisations', {
      body: { ...pull, name: 'People, nightly', enabled: false, scheduleCron: '0 2 * * *' },
    });
    expect(response.status).toBe(201);
    expect(data).toMatchObject({
      name: 'People, nightly',
      enabled: false,
      scheduleCron: '0 2 * * *',
      scheduleTimezone: 'UTC',
      sourceEndpoint: '/people?_page=1&_limit=10',
      targetSchemaId: s.schema.id,
      warnings: [],
    });
    expect(data).not.toHaveProperty('webhookTokenHash');
    expect(data).not.toHaveProperty('orgId');
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"\d+"$/);
    const got = await api.GET('/synchronisations/{syncId}', byId(data!.id));
    expect(got.response.headers.get('etag')).toBe(etag);
    const listed = await api.GET('/synchronisations', { params: { query: { limit: 200 } } });
    expect(listed.data!.items.map((i) => i.name)).toContain('People, nightly');
    await api.DELETE('/synchronisations/{syncId}', byId(data!.id));
  });

  it('warns, as the form does, when another synchronisation writes into the same schema', async () => {
    const { data, response } = await api.POST('/synchronisations', { body: pull });
    expect(response.status).toBe(201);
    expect(data!.warnings).toEqual([
      {
        field: 'targetSchemaId',
        others: [{ id: s.sync.id, name: 'People into the directory' }],
        message: expect.stringContaining(
          '“People into the directory” also writes into the schema Directory › Person.',
        ) as string,
      },
    ]);
    await api.DELETE('/synchronisations/{syncId}', byId(data!.id));
  });

  it('refuses a configuration that cannot work, at the field the check names', async () => {
    const noSchema = await api.POST('/synchronisations', { body: { ...pull, targetSchemaId: null } });
    expect(noSchema.response.status).toBe(400);
    expect(problemOf(noSchema.error)).toMatchObject({
      detail: 'Choose the schema to write to.',
      errors: [
        {
          field: 'body.targetSchemaId',
          pointer: '/targetSchemaId',
          detail: 'Choose the schema to write to.',
        },
      ],
    });
    // A missing register is said at the register's field (the form's register picker), not the schema's.
    const noRegister = await api.POST('/synchronisations', { body: { ...pull, targetRegisterId: null } });
    expect(noRegister.response.status).toBe(400);
    expect(problemOf(noRegister.error)).toMatchObject({
      detail: 'Choose the register to write to.',
      errors: [
        {
          field: 'body.targetRegisterId',
          pointer: '/targetRegisterId',
          detail: 'Choose the register to write to.',
        },
      ],
    });
    const neither = await api.POST('/synchronisations', {
      body: { ...pull, targetRegisterId: undefined, targetSchemaId: undefined },
    });
    expect(neither.response.status).toBe(400);
    expect(problemOf(neither.error).errors).toEqual([
      {
        field: 'body.targetRegisterId',
        pointer: '/targetRegisterId',
        detail: 'Choose the register to write to.',
      },
      { field: 'body.targetSchemaId', pointer: '/targetSchemaId', detail: 'Choose the schema to write to.' },
    ]);
    const typo = await api.POST('/synchronisations', {
      body: { ...pull, sourceConfig: { resultPosition: 'data' } },
    });
    expect(typo.response.status).toBe(400);
    expect(problemOf(typo.error).errors).toEqual([
      expect.objectContaining({
        field: 'body.sourceConfig.resultPosition',
        pointer: '/sourceConfig/resultPosition',
        detail: expect.stringContaining('did you mean `resultsPosition`?') as string,
      }),
    ]);
    const names = (await s.api.synchronisations.list({ orgId: s.orgId })).map((r) => r.sync.name);
    expect(names).toEqual(['People into the directory']);
  });

  it('refuses the opposite one-way synchronisation, naming the field to change', async () => {
    const directory = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Directory source',
      type: 'register',
      config: { registerId: s.register.id, schemaId: s.schema.id },
    });
    const push: SyncBody = {
      name: 'Directory to the People API',
      sourceId: directory.id,
      targetType: 'source',
      targetSourceId: s.source.id,
      targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
    };
    const refused = await api.POST('/synchronisations', { body: push });
    expect(refused.response.status).toBe(409);
    const problem = problemOf(refused.error);
    expect(problem.detail).toMatch(/Make “People into the directory” two-way instead/);
    expect(problem.errors).toEqual([
      { field: 'body.targetSourceId', pointer: '/targetSourceId', detail: problem.detail },
    ]);
    // Saved switched off it is kept; switching it on is refused the same way.
    const off = await api.POST('/synchronisations', { body: { ...push, enabled: false } });
    expect(off.response.status).toBe(201);
    const enable = await api.POST('/synchronisations/{syncId}/enable', byId(off.data!.id));
    expect(enable.response.status).toBe(409);
    expect(problemOf(enable.error).detail).toMatch(/Make “People into the directory” two-way instead/);
    const still = await api.GET('/synchronisations/{syncId}', byId(off.data!.id));
    expect(still.data!.enabled).toBe(false);
    await api.DELETE('/synchronisations/{syncId}', byId(off.data!.id));
  });
});

describe('changing', () => {
  it('changes only the fields sent, and refuses a stale If-Match with 412', async () => {
    const created = await api.POST('/synchronisations', {
      body: { ...pull, name: 'Patched', enabled: false },
    });
    const id = created.data!.id;
    const etag = created.response.headers.get('etag')!;
    const patched = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      headers: { 'if-match': etag },
      body: { description: 'Every person', scheduleCron: '15 3 * * *' },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data).toMatchObject({
      name: 'Patched',
      description: 'Every person',
      scheduleCron: '15 3 * * *',
      sourceEndpoint: '/people?_page=1&_limit=10',
      mappingId: s.mapping.id,
      enabled: false,
    });
    const newTag = patched.response.headers.get('etag');
    expect(newTag).not.toBe(etag);
    const stale = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      headers: { 'if-match': etag },
      body: { description: 'Lost update' },
    });
    expect(stale.response.status).toBe(412);
    expect(problemOf(stale.error).detail).toBe(
      'The synchronisation was changed after you read it: fetch it again and reapply your change.',
    );
    expect((await api.GET('/synchronisations/{syncId}', byId(id))).data!.description).toBe('Every person');
    const badCron = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { scheduleCron: 'every night' },
    });
    expect(badCron.response.status).toBe(400);
    expect(problemOf(badCron.error).errors?.map((e) => e.field)).toEqual(['body.scheduleCron']);
    await api.DELETE('/synchronisations/{syncId}', { ...byId(id), headers: { 'if-match': newTag! } });
  });

  it('checks a change to two-way as the form does, and drops the two-way settings going back', async () => {
    const created = await api.POST('/synchronisations', {
      body: { ...pull, name: 'Both ways', enabled: false },
    });
    const id = created.data!.id;
    const insertOnly = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { direction: 'two-way', writeMode: 'insert-only' },
    });
    expect(insertOnly.response.status).toBe(400);
    expect(problemOf(insertOnly.error).errors?.map((e) => e.field)).toEqual(['body.writeMode']);
    const newerWins = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { direction: 'two-way', twoWay: { conflictPolicy: 'newer-wins' } },
    });
    expect(newerWins.response.status).toBe(400);
    expect(problemOf(newerWins.error).errors?.map((e) => e.field)).toEqual([
      'body.twoWay.updatedAt.source',
      'body.twoWay.updatedAt.target',
    ]);
    const twoWay = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: {
        direction: 'two-way',
        twoWay: { conflictPolicy: 'newer-wins', updatedAt: { source: 'updatedAt', target: 'updatedAt' } },
      },
    });
    expect(twoWay.response.status, JSON.stringify(twoWay.error)).toBe(200);
    expect(twoWay.data).toMatchObject({ direction: 'two-way' });
    expect(twoWay.data!.twoWay).toMatchObject({ conflictPolicy: 'newer-wins' });
    const back = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { direction: 'one-way' },
    });
    expect(back.response.status, JSON.stringify(back.error)).toBe(200);
    expect(back.data).toMatchObject({ direction: 'one-way', twoWay: null, writeBack: null });
    await api.DELETE('/synchronisations/{syncId}', byId(id));
  });
});

describe('follow-ups', () => {
  it('sets them with followUpIds and shows them on both, each ETag moving with them', async () => {
    const first = await api.POST('/synchronisations', { body: { ...pull, name: 'First', enabled: false } });
    const then = await api.POST('/synchronisations', { body: { ...pull, name: 'Then', enabled: false } });
    const thenTag = then.response.headers.get('etag');
    const patched = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(first.data!.id),
      body: { followUpIds: [then.data!.id] },
    });
    expect(patched.data!.followUps).toEqual([{ id: then.data!.id, name: 'Then', enabled: false }]);
    const followed = await api.GET('/synchronisations/{syncId}', byId(then.data!.id));
    expect(followed.data!.followedBy).toEqual([{ id: first.data!.id, name: 'First' }]);
    // Nothing of "Then" itself changed, yet what a client holds of it did: its ETag says so.
    expect(followed.response.headers.get('etag')).not.toBe(thenTag);
    const loop = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(then.data!.id),
      body: { followUpIds: [first.data!.id] },
    });
    expect(loop.response.status).toBe(400);
    expect(problemOf(loop.error).errors?.map((e) => e.field)).toEqual(['body.followUpIds']);
    // Left out, they stay.
    const renamed = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(first.data!.id),
      body: { name: 'First of all' },
    });
    expect(renamed.data!.followUps.map((f) => f.id)).toEqual([then.data!.id]);
    await api.DELETE('/synchronisations/{syncId}', byId(first.data!.id));
    await api.DELETE('/synchronisations/{syncId}', byId(then.data!.id));
  });
});

describe('switching off and on, running, deleting', () => {
  it('runs only a test run while off; on again, a forced run rewrites every object', async () => {
    const created = await api.POST('/synchronisations', { body: { ...pull, name: 'Toggled' } });
    const id = created.data!.id;
    const off = await api.POST('/synchronisations/{syncId}/disable', byId(id));
    expect(off.data).toMatchObject({ enabled: false });
    // Its ETag moves with it, so a cached copy is not taken for the current one.
    expect(off.response.headers.get('etag')).not.toBe(created.response.headers.get('etag'));

    const refused = await api.POST('/synchronisations/{syncId}/runs', { ...byId(id), body: {} });
    expect(refused.response.status).toBe(400);
    expect(problemOf(refused.error).detail).toBe(
      'This synchronisation is disabled. Enable it first, or start a test run.',
    );
    const test = await api.POST('/synchronisations/{syncId}/runs', { ...byId(id), body: { test: true } });
    expect(test.response.status).toBe(202);
    expect(await runToEnd(test.data!.run.id)).toMatchObject({ test: true, result: 'success' });

    // Sent with an ETag read before it was switched off, switching on is refused: someone changed it.
    const staleOn = await api.POST('/synchronisations/{syncId}/enable', {
      ...byId(id),
      headers: { 'if-match': created.response.headers.get('etag')! },
    });
    expect(staleOn.response.status).toBe(412);
    const on = await api.POST('/synchronisations/{syncId}/enable', {
      ...byId(id),
      headers: { 'if-match': off.response.headers.get('etag')! },
    });
    expect(on.data).toMatchObject({ enabled: true });
    const first = await api.POST('/synchronisations/{syncId}/runs', { ...byId(id), body: {} });
    expect(await runToEnd(first.data!.run.id)).toMatchObject({ result: 'success', counts: { created: 3 } });
    const again = await api.POST('/synchronisations/{syncId}/runs', { ...byId(id), body: {} });
    expect(await runToEnd(again.data!.run.id)).toMatchObject({ counts: { skipped: 3, updated: 0 } });
    const forced = await api.POST('/synchronisations/{syncId}/runs', { ...byId(id), body: { force: true } });
    expect(forced.data!.run).toMatchObject({ force: true });
    expect(await runToEnd(forced.data!.run.id)).toMatchObject({ counts: { rewritten: 3, skipped: 0 } });

    const etag = (await api.GET('/synchronisations/{syncId}', byId(id))).response.headers.get('etag')!;
    const stale = await api.DELETE('/synchronisations/{syncId}', {
      ...byId(id),
      headers: { 'if-match': '"1"' },
    });
    expect(stale.response.status).toBe(412);
    const gone = await api.DELETE('/synchronisations/{syncId}', {
      ...byId(id),
      headers: { 'if-match': etag },
    });
    expect(gone.response.status).toBe(204);
    expect((await api.GET('/synchronisations/{syncId}', byId(id))).response.status).toBe(404);
    const runs = await api.GET('/runs', { params: { query: { syncId: id } } });
    expect(runs.data!.items).toEqual([]);
  });
});

describe('incremental reading', () => {
  it('shows the cursor a run took, and forgets it on request', async () => {
    const created = await api.POST('/synchronisations', {
      body: {
        ...pull,
        name: 'Changes only',
        sourceEndpoint: '/people?_page=1&_limit=10&_sort=updatedAt,id',
        sourceConfig: {
          pagination: { kind: 'link-header' },
          incremental: { field: 'updatedAt', query: 'updatedAt_gte={{cursor}}', reconcileEveryRuns: 4 },
        },
      },
    });
    const id = created.data!.id;
    const state = async () => (await api.GET('/synchronisations/{syncId}/incremental', byId(id))).data;
    expect(await state()).toMatchObject({ field: 'updatedAt', cursor: null, runsUntilFull: 0 });
    const run = await api.POST('/synchronisations/{syncId}/runs', { ...byId(id), body: {} });
    expect(await runToEnd(run.data!.run.id)).toMatchObject({ result: 'success' });
    expect(await state()).toMatchObject({ cursor: T0, runsSinceFull: 0, runsUntilFull: 3 });
    expect(Date.parse((await state())!.cursorSetAt!)).not.toBeNaN();

    const reset = await api.POST('/synchronisations/{syncId}/reset-cursor', byId(id));
    expect(reset.data).toMatchObject({ cursor: null, cursorSetAt: null, runsUntilFull: 0 });
    // One that reads everything each time has no cursor to show.
    const plain = await api.GET('/synchronisations/{syncId}/incremental', byId(s.sync.id));
    expect(plain.response.status).toBe(200);
    expect(plain.data).toBeNull();
    await api.DELETE('/synchronisations/{syncId}', byId(id));
  });
});
