// The registers API the registers pages use, through the tRPC caller: registers, schemas checked on
// save with the reason, a schema's objects searched and paged, what a sync uses, and roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, schemaSeqOf } from '@/server/db/schema';
import { callerFor, createMember } from '../factories';
import { failure, ownerApi, type OwnerApi } from './helpers/owner-api';

const PERSON = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } },
};

let s: OwnerApi;

beforeAll(async () => {
  s = await ownerApi();
});
afterAll(() => s.db.close());

describe('registers', () => {
  it('creates, renames and lists registers with their schemas, by name', async () => {
    const { api, orgId } = s;
    const created = await api.registers.create({ orgId, name: '  Zoo  ', description: 'Animals' });
    expect(created).toMatchObject({ name: 'Zoo', description: 'Animals' });
    await api.registers.create({ orgId, name: 'Archive' });
    await api.registers.update({
      orgId,
      registerId: created.id,
      name: 'Animals',
      description: 'All of them',
    });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: created.id,
      name: 'Mammal',
      jsonSchema: { type: 'object' },
    });
    const list = await api.registers.list({ orgId });
    expect(list.map((r) => r.name)).toEqual(['Animals', 'Archive']);
    expect(list[0]).toMatchObject({
      description: 'All of them',
      schemas: [{ id: schema.id, name: 'Mammal' }],
    });
    expect(list[1]?.schemas).toEqual([]);
  });

  it('rejects an invalid JSON Schema with the reason, keeps the old one, and refuses a duplicate name', async () => {
    const { api, orgId } = s;
    const register = await api.registers.create({ orgId, name: 'People' });
    const invalid = await failure(
      api.registers.createSchema({
        orgId,
        registerId: register.id,
        name: 'Person',
        jsonSchema: { type: 'object', properties: { name: { type: 'strnig' } } },
      }),
    );
    expect(invalid).toMatchObject({ code: 'BAD_REQUEST', field: 'jsonSchema' });
    expect(invalid.message).toMatch(/^The JSON Schema is invalid: .*type/);
    expect(
      await failure(
        api.registers.createSchema({ orgId, registerId: register.id, name: 'P', jsonSchema: [] }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('must be a JSON object') });

    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Person',
      jsonSchema: PERSON,
    });
    const duplicate = await failure(
      api.registers.createSchema({ orgId, registerId: register.id, name: 'Person', jsonSchema: PERSON }),
    );
    expect(duplicate).toMatchObject({ code: 'CONFLICT', field: 'name' });

    const bad = await failure(
      api.registers.updateSchema({ orgId, schemaId: schema.id, jsonSchema: { required: 'name' } }),
    );
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', field: 'jsonSchema' });
    expect((await api.registers.schema({ orgId, schemaId: schema.id })).jsonSchema).toEqual(PERSON);

    const changed = { ...PERSON, required: ['name', 'email'] };
    await api.registers.updateSchema({
      orgId,
      schemaId: schema.id,
      description: 'A person',
      jsonSchema: changed,
    });
    expect(await api.registers.schema({ orgId, schemaId: schema.id })).toMatchObject({
      name: 'Person',
      description: 'A person',
      jsonSchema: changed,
    });
  });

  it("searches and pages a schema's objects, newest first, deleted ones only on request", async () => {
    const { api, orgId, db } = s;
    const register = await api.registers.create({ orgId, name: 'Browse' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Item',
      jsonSchema: {},
    });
    await db.db.insert(objects).values(
      Array.from({ length: 30 }, (_, i) => ({
        orgId,
        schemaSeq: schemaSeqOf(schema.id),
        data: { name: `Item ${i + 1}`, colour: i % 3 === 0 || i === 29 ? 'Teal' : 'grey' },
        hash: `h${i}`,
        version: 1 + (i % 2),
        // Last written a minute apart (stored as an offset from creation, migration 0049).
        createdAt: new Date(Date.UTC(2026, 0, 1)),
        updatedAtOffset: i * 60_000,
        deletedAt: i === 29 ? new Date() : null,
      })),
    );

    const first = await api.registers.objects({ orgId, schemaId: schema.id, pageSize: 10 });
    expect(first).toMatchObject({ total: 29, totalExact: true, start: 0, pageSize: 10, previous: null });
    expect(first.rows.map((r) => r.data.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Item ${29 - i}`),
    );
    const last = await api.registers.objects({
      orgId,
      schemaId: schema.id,
      pageSize: 10,
      cursor: first.last!,
    });
    // The last page is the one Next ends on: 29 objects, pages of 10, the last holds 9.
    expect(last.rows.map((r) => r.data.name)).toEqual(Array.from({ length: 9 }, (_, i) => `Item ${9 - i}`));
    expect(last).toMatchObject({ next: null, last: null });

    const teal = await api.registers.objects({ orgId, schemaId: schema.id, search: 'teal' });
    expect(teal.total).toBe(10); // items 1, 4, …, 28; item 30 is teal too, but deleted
    const withDeleted = await api.registers.objects({
      orgId,
      schemaId: schema.id,
      search: 'TEAL',
      includeDeleted: true,
    });
    expect(withDeleted.total).toBe(11);
    const deleted = withDeleted.rows.find((r) => r.deletedAt);
    expect(deleted?.data.name).toBe('Item 30');

    const one = await api.registers.object({ orgId, objectId: deleted!.id });
    expect(one).toMatchObject({ data: { name: 'Item 30' }, version: 2, hash: 'h29' });
    expect(one.deletedAt).toBeInstanceOf(Date);
    expect(await failure(api.registers.object({ orgId, objectId: 'obj_missing' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses to delete a register or schema a synchronisation writes into, naming it', async () => {
    const { api, orgId } = s;
    const register = await api.registers.create({ orgId, name: 'In use' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Thing',
      jsonSchema: {},
    });
    const spare = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'Spare',
      jsonSchema: {},
    });
    const source = await api.sources.create({
      orgId,
      name: 'API',
      type: 'rest',
      config: { baseUrl: 'https://api.example.test' },
    });
    const sync = await api.synchronisations.create({
      orgId,
      name: 'Things in',
      sourceId: source.id,
      sourceEndpoint: '/things',
      targetType: 'register',
      targetRegisterId: register.id,
      targetSchemaId: schema.id,
    });

    for (const attempt of [
      api.registers.delete({ orgId, registerId: register.id }),
      api.registers.deleteSchema({ orgId, schemaId: schema.id }),
    ])
      expect(await failure(attempt)).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('Used by: Things in'),
      });

    await api.registers.deleteSchema({ orgId, schemaId: spare.id });
    await api.synchronisations.delete({ orgId, syncId: sync.id });

    // A source that reads the schema (pushes its objects out) holds it as a synchronisation does:
    // deleting the schema would take every object it pushes away without a word.
    const feed = await api.sources.create({
      orgId,
      name: 'Things feed',
      type: 'register',
      config: { registerId: register.id, schemaId: schema.id },
    });
    for (const attempt of [
      api.registers.delete({ orgId, registerId: register.id }),
      api.registers.deleteSchema({ orgId, schemaId: schema.id }),
    ])
      expect(await failure(attempt)).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('Used by: Things feed'),
      });
    await api.sources.delete({ orgId, sourceId: feed.id });
    await api.registers.delete({ orgId, registerId: register.id });
    expect((await api.registers.list({ orgId })).some((r) => r.id === register.id)).toBe(false);
  });

  it('lets a viewer read everything but create, edit or delete nothing (FORBIDDEN)', async () => {
    const { api, orgId, db, owner } = s;
    const register = await api.registers.create({ orgId, name: 'Read only' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'S',
      jsonSchema: {},
    });
    const viewer = callerFor(db.db, await createMember(db.db, orgId, owner.user.id, 'viewer'));

    expect((await viewer.registers.list({ orgId })).some((r) => r.id === register.id)).toBe(true);
    expect(await viewer.registers.schema({ orgId, schemaId: schema.id })).toMatchObject({ name: 'S' });
    expect(await viewer.registers.objects({ orgId, schemaId: schema.id })).toMatchObject({ total: 0 });

    const attempts = [
      viewer.registers.create({ orgId, name: 'Nope' }),
      viewer.registers.update({ orgId, registerId: register.id, name: 'Nope' }),
      viewer.registers.delete({ orgId, registerId: register.id }),
      viewer.registers.createSchema({ orgId, registerId: register.id, name: 'Nope', jsonSchema: {} }),
      viewer.registers.updateSchema({ orgId, schemaId: schema.id, jsonSchema: { type: 'object' } }),
      viewer.registers.deleteSchema({ orgId, schemaId: schema.id }),
    ];
    for (const attempt of attempts) expect(await failure(attempt)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await api.registers.schema({ orgId, schemaId: schema.id })).toMatchObject({
      name: 'S',
      jsonSchema: {},
    });
  });
});
