// A two-way synchronisation given another id field (each person by email instead of id): its contracts
// are re-keyed as it is saved, an open conflict with them, so the next run writes nothing to either side
// and the conflict still waits for its person (see test/integration/sync/rekey-id-field.test.ts).
import { describe, expect, it } from 'vitest';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();

describe('a two-way synchronisation given another id field', () => {
  it('re-keys its contracts and its open conflict; the next run writes nothing', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { conflictPolicy: 'manual' });
    await s.run();
    const ada = (await s.registerObjects()).find((o) => o.data.name === 'Ada')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Paris' },
    });
    await t.patch(1, { city: 'Berlin' });
    expect((await s.run()).message).toMatch(/1 conflict waits for a person/);
    const [conflict] = await s.conflictsOf();

    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      name: s.sync.name,
      sourceId: s.source.id,
      sourceEndpoint: '/people',
      sourceConfig: { sourceIdField: 'email' },
      mappingId: s.mapping.id,
      targetType: 'register',
      targetRegisterId: s.register.id,
      targetSchemaId: s.schema.id,
      direction: 'two-way',
      twoWay: { conflictPolicy: 'manual' },
    });
    const contracts = await s.contractsOf();
    expect(contracts.map((c) => c.originId).sort()).toEqual([
      'ada@example.test',
      'bob@example.test',
      'cy@example.test',
    ]);
    expect(await s.conflictsOf()).toEqual([
      { ...conflict, originId: 'ada@example.test', updatedAt: expect.any(Date) as Date },
    ]);

    await t.clearRequests();
    const run = await s.run();
    expect(run).toMatchObject({ created: 0, deleted: 0 });
    expect(run.message).toMatch(/1 conflict waits for a person/);
    expect(await t.writes()).toEqual({});
    expect(await s.registerObjects()).toHaveLength(3);
    expect(await s.conflictsOf()).toHaveLength(1);
  });
});
