// Mappings through /api/v1, called as a program would with the generated client: create, read, change
// (with If-Match) and delete them, every problem of a configuration at its field, and their test — a
// saved or an unsaved mapping on a sample object, answering as the mapping bench does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { apiClient, problemOf, useDatabase } from './client';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let writer: ReturnType<typeof apiClient>;
let reader: ReturnType<typeof apiClient>;

const ada = { id: 7, name: 'Ada', email: 'ada@example.test', address: { city: 'Leiden' } };

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(1) });
  s = await restToRegister(db.db, peer.url);
  const key = (scopes: ('read' | 'write')[]) =>
    s.api.apiKeys.create({ orgId: s.orgId, name: scopes.join(), scopes }).then((k) => k.key);
  writer = apiClient(await key(['read', 'write']));
  reader = apiClient(await key(['read']));
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

describe('mappings', () => {
  it('creates, reads, lists and changes a mapping, refusing a change on a stale ETag', async () => {
    const created = await writer.POST('/mappings', {
      body: {
        name: 'Contact',
        description: 'People as contacts',
        config: { mapping: { fullName: 'name', mail: 'email', label: '={{ name }} ({{ address.city }})' } },
      },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({
      name: 'Contact',
      description: 'People as contacts',
      config: { mapping: { fullName: 'name', mail: 'email' } },
    });
    const mappingId = created.data!.id;
    const path = { mappingId };

    const got = await reader.GET('/mappings/{mappingId}', { params: { path } });
    expect(got.data).toEqual(created.data);
    const listed = await reader.GET('/mappings', { params: { query: { limit: 200 } } });
    expect(listed.data!.items.map((m) => m.name).sort()).toEqual(['Contact', 'Person']);

    const etag = got.response.headers.get('etag')!;
    const changed = await writer.PATCH('/mappings/{mappingId}', {
      params: { path, header: { 'If-Match': etag } },
      body: { config: { mapping: { fullName: 'name' }, passThrough: false } },
    });
    expect(changed.data!.config).toMatchObject({ mapping: { fullName: 'name' } });
    expect(changed.response.headers.get('etag')).not.toBe(etag);
    const stale = await writer.PATCH('/mappings/{mappingId}', {
      params: { path, header: { 'If-Match': etag } },
      body: { name: 'Lost update' },
    });
    expect(stale.response.status).toBe(412);
    expect((await reader.GET('/mappings/{mappingId}', { params: { path } })).data!.name).toBe('Contact');
  });

  it('refuses a configuration with every problem at its own field', async () => {
    const bad = await writer.POST('/mappings', {
      body: { name: 'Broken', config: { mapping: { city: 'address..city', zip: 'address[x' } } },
    });
    expect(bad.response.status).toBe(400);
    const problem = problemOf(bad.error);
    expect(problem.errors!.map((e) => e.field).sort()).toEqual([
      'body.config.mapping.city',
      'body.config.mapping.zip',
    ]);

    const typo = await writer.POST('/mappings', {
      body: { name: 'Typo', config: { mapping: {}, passthrough: true } as never },
    });
    expect(problemOf(typo.error).errors).toEqual([
      expect.objectContaining({
        field: 'body.config.passthrough',
        detail: expect.stringContaining('`passThrough`'),
      }),
    ]);
    const { data } = await reader.GET('/mappings', { params: { query: { limit: 200 } } });
    expect(data!.items.map((m) => m.name)).not.toContain('Broken');
  });

  it('tries a saved mapping on a sample as the mapping bench does, checked against a schema', async () => {
    const path = { mappingId: s.mapping.id };
    const tried = await reader.POST('/mappings/{mappingId}/test', {
      params: { path },
      body: { sample: ada, schemaId: s.schema.id },
    });
    expect(tried.data).toEqual({
      ok: true,
      result: { name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
      missing: [],
      schema: { name: s.schema.name, findings: [] },
    });
    const bench = await s.api.mappings.preview({
      orgId: s.orgId,
      config: s.mapping.config,
      sample: ada,
      schemaId: s.schema.id,
    });
    expect(tried.data).toEqual(bench);

    // A sample without an email: the key is left out, and the schema says it is required.
    const partial = await reader.POST('/mappings/{mappingId}/test', {
      params: { path },
      body: { sample: { name: 'Grace' }, schemaId: s.schema.id },
    });
    expect(partial.data).toMatchObject({
      ok: true,
      result: { name: 'Grace' },
      missing: ['email', 'city'],
      schema: { findings: [expect.objectContaining({ field: 'email' })] },
    });
  });

  it('tries an unsaved configuration, answering its problems instead of a result', async () => {
    const ok = await reader.POST('/mappings/test', {
      body: { config: { mapping: { label: '{{ name }} in {{ address.city }}' } }, sample: ada },
    });
    expect(ok.data).toMatchObject({ ok: true, result: { label: 'Ada in Leiden' } });

    const broken = await reader.POST('/mappings/test', {
      body: { config: { mapping: { city: 'address..city' } }, sample: ada },
    });
    expect(broken.response.status).toBe(200);
    expect(broken.data).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ key: 'mapping.city' })],
    });

    const notObject = await reader.POST('/mappings/test', {
      body: { config: { mapping: {} }, sample: [1, 2] as never },
    });
    expect(problemOf(notObject.error).errors).toEqual([
      expect.objectContaining({ field: 'body.sample', detail: 'Sample must be a JSON object.' }),
    ]);
  });

  it('keeps a mapping a synchronisation uses, and deletes one no one uses', async () => {
    const used = await writer.DELETE('/mappings/{mappingId}', {
      params: { path: { mappingId: s.mapping.id } },
    });
    expect(used.response.status).toBe(409);
    expect(problemOf(used.error).detail).toContain(s.sync.name);

    const { data } = await writer.POST('/mappings', { body: { name: 'Spare', config: { mapping: {} } } });
    const path = { mappingId: data!.id };
    expect((await writer.DELETE('/mappings/{mappingId}', { params: { path } })).response.status).toBe(204);
    expect((await reader.GET('/mappings/{mappingId}', { params: { path } })).response.status).toBe(404);
  });
});
