// A synchronisation that ran one-way (the source → the register) and is then made two-way — as the
// Discover flow's one-way synchronisations are, once a person wants edits to flow back. Its contracts
// already say what each side held when it was last synchronised, so its first two-way run tells who
// changed what from them, as any later run does: a change at the source since is no conflict (under
// _target wins_ it was written over at the source with the register's old version), a source deletion
// is a deletion (under _target wins_ the object came back at the source), and a real conflict has that
// base to compare with rather than being "never synchronised".
import { describe, expect, it } from 'vitest';
import { isFirstMatch } from '@/server/services/conflicts';
import { crew, restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();
const { people, patch, writes, clearRequests } = t;

async function oneWayThenTwoWay(twoWay: Parameters<typeof restTwoWay>[2]) {
  const s = await restTwoWay(t.db.db, t.peer.url, twoWay, { deleteMode: 'soft' }, { oneWayFirst: true });
  const first = await s.run();
  expect(first).toMatchObject({ result: 'success', created: 3 });
  const byName = async (name: string) => (await s.registerObjects()).find((o) => o.data.name === name)!;
  const editInRegister = async (name: string, data: Record<string, unknown>) => {
    const object = await byName(name);
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: object.id,
      version: object.version,
      data: { ...object.data, ...data },
    });
  };
  return { ...s, byName, editInRegister };
}

describe('a one-way synchronisation made two-way', () => {
  it('takes each side’s changes since its last one-way run from its contracts, even when the register wins', async () => {
    const s = await oneWayThenTwoWay({ conflictPolicy: 'target-wins' });
    // While it was one-way: Ada moved at the source, Bob was edited in the register, Cy left the source.
    await patch(1, { city: 'Zwolle' });
    await s.editInRegister('Bob', { city: 'Gouda' });
    await fetch(`${t.peer.url}/people/3`, { method: 'DELETE' });
    await s.makeTwoWay();
    await clearRequests();

    const run = await s.run();
    expect(run).toMatchObject({ result: 'success' });
    expect(await s.conflictsOf()).toEqual([]);
    // The source's change came in, and was not written over with the register's old Leiden.
    expect((await s.byName('Ada')).data.city).toBe('Zwolle');
    // The register's edit went out; Cy was deleted in the register, not created at the source again.
    expect(await writes()).toEqual({ 'PUT /people/2': 1 });
    expect(await people()).toEqual([
      { ...crew()[0], city: 'Zwolle' },
      { ...crew()[1], city: 'Gouda' },
    ]);
    expect((await s.registerObjects()).map((o) => o.data.name).sort()).toEqual(['Ada', 'Bob']);

    // In step: the next run writes nothing on either side.
    await clearRequests();
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 0, deleted: 0 });
    expect(await writes()).toEqual({});
  });

  it('a change on both sides since then is a conflict with the one-way run’s version as its base', async () => {
    const s = await oneWayThenTwoWay({ conflictPolicy: 'manual' });
    await patch(1, { city: 'Berlin' });
    await s.editInRegister('Ada', { city: 'Paris' });
    await s.makeTwoWay();
    await clearRequests();

    const run = await s.run();
    expect(run.result).toBe('warning');
    expect(await writes()).toEqual({});
    const [conflict, ...others] = await s.conflictsOf();
    expect(others).toEqual([]);
    expect(conflict).toMatchObject({
      kind: 'both-changed',
      baseData: { name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
      sourceMapped: { name: 'Ada', email: 'ada@example.test', city: 'Berlin' },
      targetData: { name: 'Ada', email: 'ada@example.test', city: 'Paris' },
    });
    expect(isFirstMatch(conflict!)).toBe(false);
  });

  it('a two-way one made one-way and two-way again takes the one-way runs’ writes as its base', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { conflictPolicy: 'target-wins' });
    expect(await s.run()).toMatchObject({ result: 'success', created: 3 });
    await s.makeOneWay();
    await patch(1, { city: 'Zwolle' });
    expect(await s.run()).toMatchObject({ result: 'success', updated: 1 });
    await s.makeTwoWay();
    // Since the one-way run: Ada moved again at the source, Bob was edited in the register.
    await patch(1, { city: 'Berlin' });
    const bob = (await s.registerObjects()).find((o) => o.data.name === 'Bob')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: bob.id,
      version: bob.version,
      data: { ...bob.data, city: 'Gouda' },
    });
    await clearRequests();

    expect(await s.run()).toMatchObject({ result: 'success' });
    expect(await s.conflictsOf()).toEqual([]);
    expect(await writes()).toEqual({ 'PUT /people/2': 1 });
    expect((await people()).map((p) => p.city)).toEqual(['Berlin', 'Gouda', 'Delft']);
    expect((await s.registerObjects()).find((o) => o.data.name === 'Ada')?.data.city).toBe('Berlin');
  });
});
