// A two-way REST write-back updates with PUT (the default), which replaces the source's record. The
// register holds only what the synchronisation carries: the source's other fields (a phone, the zip beside
// a mapped address.city, a flag) must go back as the source holds them, not be erased by the update. A
// field the synchronisation carries that the register removed is removed at the source too.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests } from '../helpers/push-setup';
import { restTwoWay } from './setup';

const record = () => ({
  id: 1,
  name: 'Ada',
  contact: { email: 'ada@example.test' },
  address: { city: 'Leiden', zip: '2311' },
  phone: '071-123',
  age: '36',
  active: 1,
  modifiedAt: '2026-01-01T09:00:00Z',
});

let db: TestDatabase;
let peer: JsonServer | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
beforeEach(async () => {
  await peer?.stop();
  peer = await startJsonServer({ people: [record()] });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const held = async () => (await (await fetch(`${peer!.url}/people/1`)).json()) as Record<string, unknown>;
const writes = async () =>
  Object.fromEntries(
    Object.entries(countRequests(await peer!.requests())).filter(([r]) => !r.startsWith('GET ')),
  );

async function setUp(writeBack: boolean, unset: string[] = []) {
  const s = await restTwoWay(db.db, peer!.url);
  const inbound = writeBack
    ? { name: 'name', email: 'contact.email', city: 'address.city' }
    : { name: 'name', email: 'email' };
  await s.api.mappings.update({
    orgId: s.orgId,
    mappingId: s.mapping.id,
    name: s.mapping.name,
    config: { mapping: inbound },
  });
  const back = writeBack
    ? await s.api.mappings.create({
        orgId: s.orgId,
        name: 'Person back',
        config: { mapping: { name: 'name', 'contact.email': 'email', 'address.city': 'city' }, unset },
      })
    : null;
  await s.api.synchronisations.update({
    orgId: s.orgId,
    syncId: s.sync.id,
    name: s.sync.name,
    sourceId: s.source.id,
    sourceEndpoint: '/people',
    mappingId: s.mapping.id,
    writeBackMappingId: back?.id ?? null,
    targetType: 'register',
    targetRegisterId: s.register.id,
    targetSchemaId: s.schema.id,
    direction: 'two-way',
    twoWay: {},
  });
  expect(await s.run()).toMatchObject({ result: 'success', created: 1 });
  const edit = async (data: (d: Record<string, unknown>) => Record<string, unknown>) => {
    const [ada] = await s.registerObjects();
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada!.id,
      version: ada!.version,
      data: data(ada!.data),
    });
  };
  return { ...s, edit };
}

describe('two-way REST write-back with PUT: the fields the register does not hold', () => {
  it('keeps them at the source, nested ones too, and removes a carried field the register removed', async () => {
    const s = await setUp(true);
    await s.edit((d) => ({ ...d, city: 'Rome' }));
    await fetch(`${peer!.url}/__requests`, { method: 'DELETE' });
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    expect(await writes()).toEqual({ 'PUT /people/1': 1 });
    expect(await held()).toEqual({ ...record(), address: { city: 'Rome', zip: '2311' } });
    // In step: nothing more either way.
    await fetch(`${peer!.url}/__requests`, { method: 'DELETE' });
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 0, deleted: 0 });
    expect(await writes()).toEqual({});

    // The register removes the city it carries: gone at the source, the zip beside it stays.
    await s.edit(({ city: _city, ...rest }) => rest);
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    expect(await held()).toEqual({ ...record(), address: { zip: '2311' } });
    expect((await s.registerObjects())[0]?.data).toEqual({ name: 'Ada', email: 'ada@example.test' });
  });

  it('leaves out what the write-back mapping unsets (fields the source refuses to be sent)', async () => {
    const s = await setUp(true, ['modifiedAt']);
    await s.edit((d) => ({ ...d, city: 'Rome' }));
    await fetch(`${peer!.url}/__requests`, { method: 'DELETE' });
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    const [put] = (await peer!.requests()).filter((r) => r.method === 'PUT');
    const { modifiedAt: _left, ...sent } = record();
    expect(put?.body).toEqual({ ...sent, address: { city: 'Rome', zip: '2311' } });
  });

  it('keeps them when the register version is written back as it is (no write-back mapping)', async () => {
    // The source holds the e-mail at the top too, so the register's fields are the source's names.
    await fetch(`${peer!.url}/people/1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.test' }),
    });
    const s = await setUp(false);
    await s.edit((d) => ({ ...d, name: 'Ada L.' }));
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    expect(await held()).toEqual({ ...record(), email: 'ada@example.test', name: 'Ada L.' });
  });
});

describe('the source changes a field of its own as it takes the write (a modified-at)', () => {
  it('is not named as a value the source did not keep', async () => {
    const s = await setUp(true);
    await s.edit((d) => ({ ...d, city: 'Rome' }));
    // The read just before the PUT (source-unchanged.ts) finds the record as listed; the read-back
    // after it, the record as written, with the source's own modified-at moved on.
    await peer!.faults([
      {
        path: '/people/1',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: record(),
        times: 1,
      },
      {
        path: '/people/1',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { ...record(), modifiedAt: '2026-12-07T10:00:00Z', address: { city: 'Rome', zip: '2311' } },
      },
    ]);
    const written = await s.run();
    expect(written).toMatchObject({ result: 'success', updated: 1 });
    expect((await s.api.runs.entries({ orgId: s.orgId, runId: written.id })).rows).toEqual([
      expect.objectContaining({ action: 'update', reason: 'At the source: changed in the register' }),
    ]);
  });
});
