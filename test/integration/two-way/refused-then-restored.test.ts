// A two-way object whose change the source refused is marked rejected on its contract, and the Overview
// lists it as needing attention. When the change is undone, both sides agree with the contract's base
// again: nothing is written, and the contract must say the object is in step — not stay "rejected" with
// the old error, listed for ever. (A change the register schema refused, then undone, alike: invalid.)
import { describe, expect, it } from 'vitest';
import { getOverview } from '@/server/services/overview';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();

describe('an object refused once, then put back as it was', () => {
  it('is in step again after the source refused the change: synced, nothing needs attention', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    const ada = async () => (await s.contractsOf()).find((c) => c.originId === '1')!;
    const edit = async (city: string) => {
      const object = (await s.registerObjects()).find((o) => o.data.email === 'ada@example.test')!;
      await s.api.registers.updateObject({
        orgId: s.orgId,
        objectId: object.id,
        version: object.version,
        data: { ...object.data, city },
      });
    };

    // The register moves Ada; the source refuses the update.
    await edit('Gouda');
    await t.peer.faults([{ path: '/people/1', method: 'PUT', status: 422, body: { error: 'no moves' } }]);
    expect(await s.run()).toMatchObject({ failed: 1 });
    expect(await ada()).toMatchObject({ status: 'rejected' });
    expect((await getOverview(t.db.db, s.orgId)).attention.map((n) => n.kind)).toContain('refused');

    // Put back as it was: both sides hold what the contract remembers.
    await t.peer.clearFaults();
    await edit('Leiden');
    expect(await s.run()).toMatchObject({ result: 'success', failed: 0, created: 0, updated: 0 });
    expect(await ada()).toMatchObject({ status: 'synced', lastError: null });
    const needs = (await getOverview(t.db.db, s.orgId)).attention;
    expect(needs.filter((n) => n.kind === 'refused')).toEqual([]);
  });

  it('is in step again after the register schema refused the change: synced', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    await s.run();
    const ada = async () => (await s.contractsOf()).find((c) => c.originId === '1')!;
    // An empty name, which the schema refuses: the register keeps Ada as she was.
    await t.patch(1, { name: '' });
    expect(await s.run()).toMatchObject({ invalid: 1 });
    expect(await ada()).toMatchObject({ status: 'invalid' });
    await t.patch(1, { name: 'Ada' });
    expect(await s.run()).toMatchObject({ result: 'success', invalid: 0, created: 0, updated: 0 });
    expect(await ada()).toMatchObject({ status: 'synced', lastError: null });
  });
});
