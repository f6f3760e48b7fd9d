// Synchronisations through /api/v1: a setting that belongs to another kind of target, or to a
// one-time synchronisation, is refused when sent, and a PATCH that changes the kind leaves the saved
// ones behind unless it sends them — never refused for a field it did not send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf } from './client';
import { byId, closeSyncApi, openSyncApi, type SyncApi, type SyncBody } from './sync-api';

let fx: SyncApi;
let peer: SyncApi['peer'];
let s: SyncApi['s'];
let api: SyncApi['api'];
let pull: SyncBody;

beforeAll(async () => {
  fx = await openSyncApi();
  ({ peer, s, api, pull } = fx);
});
afterAll(() => closeSyncApi(fx));

describe('settings that do not apply', () => {
  it("refuses target settings a register would not read, and drops a REST target's saved ones when the target becomes a register", async () => {
    const refusal =
      'A register target takes no target settings (targetConfig): a register schema stores the synchronised ' +
      'object as it is. Leave them out, or write to a REST API or SQL database.';
    const sent = await api.POST('/synchronisations', {
      body: { ...pull, enabled: false, targetConfig: { createEndpoint: '/people' } },
    });
    expect(sent.response.status).toBe(400);
    expect(problemOf(sent.error).errors).toEqual([
      { field: 'body.targetConfig', pointer: '/targetConfig', detail: refusal },
    ]);
    // None, as a register synchronisation is answered (`{}`), is no setting: a copy of one saves.
    const copy = await api.POST('/synchronisations', {
      body: { ...pull, name: 'Copied', enabled: false, targetConfig: {} },
    });
    expect(copy.response.status, JSON.stringify(copy.error)).toBe(201);
    await api.DELETE('/synchronisations/{syncId}', byId(copy.data!.id));

    const directory = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Directory API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const toApi = await api.POST('/synchronisations', {
      body: {
        ...pull,
        name: 'To the directory API',
        enabled: false,
        targetType: 'source',
        targetRegisterId: undefined,
        targetSchemaId: undefined,
        targetSourceId: directory.id,
        targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
      },
    });
    expect(toApi.response.status, JSON.stringify(toApi.error)).toBe(201);
    const id = toApi.data!.id;
    const toRegister = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { targetType: 'register', targetRegisterId: s.register.id, targetSchemaId: s.schema.id },
    });
    expect(toRegister.response.status, JSON.stringify(toRegister.error)).toBe(200);
    expect(toRegister.data).toMatchObject({ targetType: 'register', targetSourceId: null, targetConfig: {} });
    const patched = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { targetConfig: { createEndpoint: '/people' } },
    });
    expect(patched.response.status).toBe(400);
    expect(problemOf(patched.error).errors).toEqual([
      { field: 'body.targetConfig', pointer: '/targetConfig', detail: refusal },
    ]);
    await api.DELETE('/synchronisations/{syncId}', byId(id));
  });

  it("drops a REST target's saved target mapping when the target becomes a register, and refuses one sent for a register", async () => {
    const refusal =
      'A target mapping applies only to a REST API or SQL database target: a register schema stores the ' +
      'synchronised object as it is. Leave it out, or write to a REST API or SQL database.';
    const directory = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Mapped directory API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const toApi = await api.POST('/synchronisations', {
      body: {
        ...pull,
        name: 'To the directory API, mapped',
        enabled: false,
        targetType: 'source',
        targetRegisterId: undefined,
        targetSchemaId: undefined,
        targetSourceId: directory.id,
        targetMappingId: s.mapping.id,
        targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
      },
    });
    expect(toApi.response.status, JSON.stringify(toApi.error)).toBe(201);
    expect(toApi.data).toMatchObject({ targetMappingId: s.mapping.id });
    const id = toApi.data!.id;
    const toRegister = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { targetType: 'register', targetRegisterId: s.register.id, targetSchemaId: s.schema.id },
    });
    expect(toRegister.response.status, JSON.stringify(toRegister.error)).toBe(200);
    expect(toRegister.data).toMatchObject({ targetType: 'register', targetMappingId: null });
    const patched = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { targetMappingId: s.mapping.id },
    });
    expect(patched.response.status).toBe(400);
    expect(problemOf(patched.error).errors).toEqual([
      { field: 'body.targetMappingId', pointer: '/targetMappingId', detail: refusal },
    ]);
    await api.DELETE('/synchronisations/{syncId}', byId(id));
  });

  it("refuses the other kind of target's references, and drops the saved ones when the target type changes", async () => {
    const noSource =
      'A register target takes no target source (targetSourceId): it writes into the register schema ' +
      'chosen. Leave it out, or write to a REST API or SQL database.';
    const noRegister =
      'A REST API or SQL database target takes no register (targetRegisterId): it writes to the target ' +
      'source chosen. Leave it out, or write to a register schema.';
    const noSchema =
      'A REST API or SQL database target takes no schema (targetSchemaId): it writes to the target source ' +
      'chosen. Leave it out, or write to a register schema.';
    const directory = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Switched directory API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const toApi = {
      targetType: 'source' as const,
      targetSourceId: directory.id,
      targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
    };
    const sourceSent = await api.POST('/synchronisations', {
      body: { ...pull, enabled: false, targetSourceId: directory.id },
    });
    expect(sourceSent.response.status).toBe(400);
    expect(problemOf(sourceSent.error).errors).toEqual([
      { field: 'body.targetSourceId', pointer: '/targetSourceId', detail: noSource },
    ]);
    const registerSent = await api.POST('/synchronisations', { body: { ...pull, enabled: false, ...toApi } });
    expect(registerSent.response.status).toBe(400);
    expect(problemOf(registerSent.error).errors).toEqual([
      { field: 'body.targetRegisterId', pointer: '/targetRegisterId', detail: noRegister },
      { field: 'body.targetSchemaId', pointer: '/targetSchemaId', detail: noSchema },
    ]);

    const created = await api.POST('/synchronisations', {
      body: { ...pull, name: 'Switching targets', enabled: false },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const id = created.data!.id;
    const switched = await api.PATCH('/synchronisations/{syncId}', { ...byId(id), body: toApi });
    expect(switched.response.status, JSON.stringify(switched.error)).toBe(200);
    expect(switched.data).toMatchObject({
      targetType: 'source',
      targetSourceId: directory.id,
      targetRegisterId: null,
      targetSchemaId: null,
    });
    const schemaPatched = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { targetSchemaId: s.schema.id },
    });
    expect(schemaPatched.response.status).toBe(400);
    expect(problemOf(schemaPatched.error).errors).toEqual([
      { field: 'body.targetSchemaId', pointer: '/targetSchemaId', detail: noSchema },
    ]);
    const back = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { targetType: 'register', targetRegisterId: s.register.id, targetSchemaId: s.schema.id },
    });
    expect(back.response.status, JSON.stringify(back.error)).toBe(200);
    expect(back.data).toMatchObject({ targetType: 'register', targetSourceId: null, targetConfig: {} });
    const sourcePatched = await api.PATCH('/synchronisations/{syncId}', {
      ...byId(id),
      body: { targetSourceId: directory.id },
    });
    expect(sourcePatched.response.status).toBe(400);
    expect(problemOf(sourcePatched.error).errors).toEqual([
      { field: 'body.targetSourceId', pointer: '/targetSourceId', detail: noSource },
    ]);
    await api.DELETE('/synchronisations/{syncId}', byId(id));
  });

  it('refuses a time to run at unless one-time, and drops the saved one when it is made not one-time', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const refusal =
      'A time to run at is for a one-time synchronisation: make it one-time (oneTime), or leave the time out.';
    const sent = await api.POST('/synchronisations', { body: { ...pull, enabled: false, runOnceAt: at } });
    expect(sent.response.status).toBe(400);
    expect(problemOf(sent.error).errors).toEqual([
      { field: 'body.runOnceAt', pointer: '/runOnceAt', detail: refusal },
    ]);
    const once = await api.POST('/synchronisations', {
      body: { ...pull, name: 'Once', enabled: false, oneTime: true, runOnceAt: at },
    });
    expect(once.response.status, JSON.stringify(once.error)).toBe(201);
    const id = once.data!.id;
    const again = await api.PATCH('/synchronisations/{syncId}', { ...byId(id), body: { oneTime: false } });
    expect(again.response.status, JSON.stringify(again.error)).toBe(200);
    expect(again.data).toMatchObject({ oneTime: false, runOnceAt: null });
    const patched = await api.PATCH('/synchronisations/{syncId}', { ...byId(id), body: { runOnceAt: at } });
    expect(patched.response.status).toBe(400);
    expect(problemOf(patched.error).errors).toEqual([
      { field: 'body.runOnceAt', pointer: '/runOnceAt', detail: refusal },
    ]);
    await api.DELETE('/synchronisations/{syncId}', byId(id));
  });
});
