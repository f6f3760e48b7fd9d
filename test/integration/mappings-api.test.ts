// The mappings API the mappings pages use, through the tRPC caller: save-time validation with the
// problem's key, the test bench (preview), what a sync uses, and roles (viewers may try, not change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createMember } from '../factories';
import { failure, ownerApi, type OwnerApi } from './helpers/owner-api';

const CONFIG = {
  mapping: {
    name: 'name',
    email: 'contact.email',
    age: 'age',
    kind: '=person',
    label: '{{ name }} ({{ age }})',
  },
  cast: { email: 'lowercase', age: 'int' },
  unset: [],
  passThrough: false,
};
const SAMPLE = { name: 'Ada', contact: { email: 'ADA@Example.test' }, age: '36' };

let s: OwnerApi;

beforeAll(async () => {
  s = await ownerApi();
});
afterAll(() => s.db.close());

describe('mappings', () => {
  it('creates, lists, edits and reads a mapping, normalising its configuration', async () => {
    const { api, orgId } = s;
    const created = await api.mappings.create({
      orgId,
      name: ' Person ',
      config: { mapping: { name: 'name' } },
    });
    expect(created).toMatchObject({
      name: 'Person',
      config: { mapping: { name: 'name' }, unset: [], cast: {}, passThrough: false },
    });
    await api.mappings.update({ orgId, mappingId: created.id, description: 'People', config: CONFIG });
    expect(await api.mappings.get({ orgId, mappingId: created.id })).toMatchObject({
      name: 'Person',
      description: 'People',
      config: CONFIG,
    });
    expect((await api.mappings.list({ orgId })).map((m) => m.name)).toContain('Person');
  });

  it('refuses an invalid configuration with every problem and the first key, keeping the saved one', async () => {
    const { api, orgId } = s;
    const invalid = await failure(
      api.mappings.create({
        orgId,
        name: 'Broken',
        config: { mapping: { name: 'name', total: 'a..b' }, cast: { total: 'integr' }, root: '' },
      }),
    );
    expect(invalid).toMatchObject({ code: 'BAD_REQUEST', field: 'mapping.total' });
    expect(invalid.message).toMatch(
      /^The mapping is invalid: mapping\.total: .*; cast\.total: Unknown cast "integr"; did you mean "int"\?/,
    );

    const saved = await api.mappings.create({ orgId, name: 'Kept', config: CONFIG });
    const bad = await failure(
      api.mappings.update({ orgId, mappingId: saved.id, config: { cast: { x: 'default' } } }),
    );
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', field: 'cast.x' });
    expect(bad.message).toContain('needs a value');
    expect((await api.mappings.get({ orgId, mappingId: saved.id })).config).toEqual(CONFIG);
  });

  it('previews a sample: the mapped result, the missing keys, and problems with their keys', async () => {
    const { api, orgId } = s;
    expect(await api.mappings.preview({ orgId, config: CONFIG, sample: SAMPLE })).toEqual({
      ok: true,
      result: { name: 'Ada', email: 'ada@example.test', age: 36, kind: 'person', label: 'Ada (36)' },
      missing: [],
    });
    expect(await api.mappings.preview({ orgId, config: CONFIG, sample: { name: 'Bo' } })).toMatchObject({
      ok: true,
      result: { name: 'Bo', kind: 'person' },
      missing: ['email', 'age'],
    });

    const badValue = await api.mappings.preview({ orgId, config: CONFIG, sample: { ...SAMPLE, age: 'old' } });
    expect(badValue).toMatchObject({
      ok: false,
      problems: [{ key: 'cast.age', message: expect.stringContaining('(cast int)') }],
    });

    const badConfig = await api.mappings.preview({
      orgId,
      config: { mapping: { a: 'x[' }, cast: { a: 'nope' }, unset: ['b..'] },
      sample: SAMPLE,
    });
    expect(badConfig.ok).toBe(false);
    if (!badConfig.ok)
      expect(badConfig.problems.map((p) => p.key).sort()).toEqual(['cast.a', 'mapping.a', 'unset[0]']);
    expect(
      await api.mappings.preview({ orgId, config: { passThrough: 'yes' }, sample: SAMPLE }),
    ).toMatchObject({
      ok: false,
      problems: [{ key: 'passThrough' }],
    });
  });

  it('refuses to delete a mapping a synchronisation uses, naming it', async () => {
    const { api, orgId } = s;
    const mapping = await api.mappings.create({ orgId, name: 'Used', config: CONFIG });
    const source = await api.sources.create({
      orgId,
      name: 'API',
      type: 'rest',
      config: { baseUrl: 'https://api.example.test' },
    });
    const register = await api.registers.create({ orgId, name: 'Target' });
    const schema = await api.registers.createSchema({
      orgId,
      registerId: register.id,
      name: 'T',
      jsonSchema: {},
    });
    const sync = await api.synchronisations.create({
      orgId,
      name: 'People in',
      sourceId: source.id,
      sourceEndpoint: '/people',
      mappingId: mapping.id,
      targetType: 'register',
      targetRegisterId: register.id,
      targetSchemaId: schema.id,
    });
    expect(await failure(api.mappings.delete({ orgId, mappingId: mapping.id }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Used by: People in'),
    });
    await api.synchronisations.delete({ orgId, syncId: sync.id });
    await api.mappings.delete({ orgId, mappingId: mapping.id });
    expect(await failure(api.mappings.get({ orgId, mappingId: mapping.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets a viewer read and try mappings but not create, edit or delete them (FORBIDDEN)', async () => {
    const { api, orgId, db, owner } = s;
    const mapping = await api.mappings.create({ orgId, name: 'Viewer sees', config: CONFIG });
    const viewer = callerFor(db.db, await createMember(db.db, orgId, owner.user.id, 'viewer'));
    expect(await viewer.mappings.get({ orgId, mappingId: mapping.id })).toMatchObject({
      name: 'Viewer sees',
    });
    expect(await viewer.mappings.preview({ orgId, config: CONFIG, sample: SAMPLE })).toMatchObject({
      ok: true,
    });
    for (const attempt of [
      viewer.mappings.create({ orgId, name: 'Nope', config: CONFIG }),
      viewer.mappings.update({ orgId, mappingId: mapping.id, name: 'Nope' }),
      viewer.mappings.delete({ orgId, mappingId: mapping.id }),
    ])
      expect(await failure(attempt)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await api.mappings.get({ orgId, mappingId: mapping.id })).name).toBe('Viewer sees');
  });
});
