// A person changes, in the register, the field that a two-way synchronisation maps to the source's id. The
// source (json-server) does not change a record's id: the write-back lands, the source keeps its id. The
// two sides then differ though neither changed since — the next run brings the register back to the
// source's id (the source is the source of truth). The write's entry says the source did not keep the
// value, and the next run's says the sides were apart — not that the source changed.
import { describe, expect, it } from 'vitest';
import { restPeerFixture } from './rest-peer';
import type { TwoWayConfigInput } from '@/server/sync/config/sync-config';
import { restTwoWay } from './setup';

const t = restPeerFixture();
const { people, writes, clearRequests } = t;

/** The register's `code` is the source's `id`, both ways; Ada's code changed to 99 in the register. */
async function withAdaRecoded(twoWay: TwoWayConfigInput) {
  const s = await restTwoWay(t.db.db, t.peer.url);
  await s.api.mappings.update({
    orgId: s.orgId,
    mappingId: s.mapping.id,
    name: s.mapping.name,
    config: { mapping: { code: 'id', name: 'name', email: 'email', city: 'city' } },
  });
  const back = await s.api.mappings.create({
    orgId: s.orgId,
    name: 'Person back',
    config: { mapping: { id: 'code', name: 'name', email: 'email', city: 'city' } },
  });
  await s.api.synchronisations.update({
    orgId: s.orgId,
    syncId: s.sync.id,
    name: s.sync.name,
    sourceId: s.source.id,
    sourceEndpoint: '/people',
    mappingId: s.mapping.id,
    writeBackMappingId: back.id,
    targetType: 'register',
    targetRegisterId: s.register.id,
    targetSchemaId: s.schema.id,
    direction: 'two-way',
    twoWay,
  });
  await s.run();
  const ada = (await s.registerObjects()).find((o) => o.data['name'] === 'Ada')!;
  expect(ada.data['code']).toBe(1);
  await s.api.registers.updateObject({
    orgId: s.orgId,
    objectId: ada.id,
    version: ada.version,
    data: { ...ada.data, code: 99 },
  });
  await clearRequests();
  return { s, ada };
}

describe('two-way: a key changed in the register that the source does not take', () => {
  it('says the sides were left apart, not that the source changed', async () => {
    const { s, ada } = await withAdaRecoded({});
    const written = await s.run();
    expect(written).toMatchObject({ result: 'success', updated: 1 });
    // The PUT went to Ada's record with the new id; the source kept its own.
    expect(await writes()).toEqual({ 'PUT /people/1': 1 });
    expect((await people()).find((p) => p.name === 'Ada')).toMatchObject({ id: 1 });
    expect((await s.api.runs.entries({ orgId: s.orgId, runId: written.id })).rows).toEqual([
      expect.objectContaining({
        action: 'update',
        reason:
          'At the source: changed in the register. The source did not keep this value as written: “id” (an id ' +
          'it does not change, or a value it stores differently); the next run takes its values into the ' +
          'register (the source is the source of truth).',
      }),
    ]);

    const next = await s.run();
    expect(next).toMatchObject({ result: 'success', updated: 1 });
    const [entry] = (await s.api.runs.entries({ orgId: s.orgId, runId: next.id })).rows;
    expect(entry?.reason).toBe(
      'In the register: the two sides differ although neither changed since they were last in step (the other ' +
        'side did not keep a value as written to it — an id it does not change, a value it stores its own way — ' +
        'or the mapping changed); the source of truth, the source, decides',
    );
    expect((await s.registerObjects()).find((o) => o.id === ada.id)?.data).toMatchObject({ code: 1 });
    // In step since: nothing more is written either way.
    await clearRequests();
    expect(await s.run()).toMatchObject({ result: 'success', updated: 0, created: 0 });
    expect(await writes()).toEqual({});
  });

  it('with the register as the source of truth, keeps its value and does not send it again every run', async () => {
    const { s, ada } = await withAdaRecoded({ sourceOfTruth: 'target' });
    const written = await s.run();
    expect(written).toMatchObject({ result: 'success', updated: 1 });
    expect((await s.api.runs.entries({ orgId: s.orgId, runId: written.id })).rows[0]?.reason).toContain(
      '“id” (an id it does not change, or a value it stores differently); the register keeps its values (it is ' +
        'the source of truth), and they are written again once it changes.',
    );
    // The source was sent 99 and kept 1: sent again, it would be written every run and never kept.
    for (const _ of [1, 2]) {
      expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 0, failed: 0 });
      expect(await writes()).toEqual({ 'PUT /people/1': 1 });
    }
    expect((await s.registerObjects()).find((o) => o.id === ada.id)?.data).toMatchObject({ code: 99 });
    // Changed in the register: written again.
    const [now] = (await s.registerObjects()).filter((o) => o.id === ada.id);
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: now!.version,
      data: { ...now!.data, city: 'Hoorn' },
    });
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    expect(await writes()).toEqual({ 'PUT /people/1': 2 });
    expect((await people()).find((p) => p.name === 'Ada')).toMatchObject({ id: 1, city: 'Hoorn' });
  });

  it('writes nothing about kept values when the source keeps what it was sent', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    const ada = (await s.registerObjects()).find((o) => o.data['name'] === 'Ada')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Hoorn' },
    });
    const written = await s.run();
    expect((await s.api.runs.entries({ orgId: s.orgId, runId: written.id })).rows).toEqual([
      expect.objectContaining({ action: 'update', reason: 'At the source: changed in the register' }),
    ]);
  });
});
