// Two-way, a record back after its deletion keeps its one register object, as a pull does
// (TargetCreate.replaces): back at the source after the register's object was soft deleted for it, or
// winning a conflict over a deletion in the register — the object the contract names is restored (same
// id, version + 1, the new data), never a second object for the same record.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { objects, ofSchema } from '@/server/db/schema';
import { createPairStore } from '@/server/sync/two-way/pair-store';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();
const { patch } = t;

const bobAgain = { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Arnhem' };

/** Every object of the schema, deleted ones too. */
const allObjects = (schemaId: string) => t.db.db.select().from(objects).where(ofSchema(schemaId));

describe('two-way: a record back after its deletion', () => {
  it('at the source restores the register object its contract names', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, {}, { deleteThreshold: 1, deleteMode: 'soft' });
    await s.run();
    const bob = (await s.registerObjects()).find((o) => o.data.name === 'Bob')!;

    await fetch(`${t.peer.url}/people/2`, { method: 'DELETE' });
    expect(await s.run()).toMatchObject({ result: 'success', deleted: 1 });
    expect((await s.registerObjects()).map((o) => o.data.name).sort()).toEqual(['Ada', 'Cy']);
    expect((await s.contractsOf()).find((c) => c.originId === '2')).toMatchObject({
      status: 'deleted',
      targetId: bob.id,
    });

    await fetch(`${t.peer.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bobAgain),
    });
    expect(await s.run()).toMatchObject({ result: 'success', created: 1 });
    const all = await allObjects(s.schema.id);
    // One object for Bob: the same, live again, one version on, with the data it came back with.
    expect(all.filter((o) => o.data.name === 'Bob')).toHaveLength(1);
    expect(all).toHaveLength(3);
    const [restored] = await t.db.db
      .select()
      .from(objects)
      .where(and(ofSchema(s.schema.id), eq(objects.id, bob.id)));
    expect(restored).toMatchObject({ deletedAt: null, version: bob.version + 1, data: { city: 'Arnhem' } });
    expect((await s.contractsOf()).find((c) => c.originId === '2')).toMatchObject({
      status: 'synced',
      targetId: bob.id,
    });
    // In step again: the next run writes nothing on either side.
    expect(await s.run()).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it('winning over its deletion in the register restores the object deleted there', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { conflictPolicy: 'source-wins' });
    await s.run();
    const cy = (await s.registerObjects()).find((o) => o.data.name === 'Cy')!;
    // Deleted in the register while edited at the source: the source's version wins.
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: cy.id });
    await patch(3, { city: 'Gouda' });
    await s.run();

    const all = await allObjects(s.schema.id);
    expect(all.filter((o) => o.data.name === 'Cy')).toHaveLength(1);
    expect(all.find((o) => o.id === cy.id)).toMatchObject({
      deletedAt: null,
      version: cy.version + 1,
      data: { city: 'Gouda' },
    });
    expect((await s.contractsOf()).find((c) => c.originId === '3')).toMatchObject({
      status: 'synced',
      targetId: cy.id,
    });
  });

  it('never restores an object another record holds now', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url, { conflictPolicy: 'target-wins' });
    await s.run();
    const bob = (await s.registerObjects()).find((o) => o.data.name === 'Bob')!;
    // Deleted at the source while edited in the register: the register's version wins and is created
    // at the source anew (json-server gives it id 4); Bob's object now belongs to record 4.
    await fetch(`${t.peer.url}/people/2`, { method: 'DELETE' });
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: bob.id,
      version: bob.version,
      data: { name: 'Bob', email: 'bob@example.test', city: 'Zwolle' },
    });
    await s.run();
    const links = await s.contractsOf();
    expect(links.find((c) => c.originId === '4')).toMatchObject({ status: 'synced', targetId: bob.id });
    expect(links.find((c) => c.originId === '2')).toMatchObject({ status: 'deleted', targetId: bob.id });

    // Record 2 back at the source: an object of its own, record 4's left as it is.
    await fetch(`${t.peer.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bobAgain),
    });
    await s.run();
    const after = await s.contractsOf();
    const two = after.find((c) => c.originId === '2')!;
    expect(two).toMatchObject({ status: 'synced' });
    expect(two.targetId).not.toBe(bob.id);
    expect(after.find((c) => c.originId === '4')).toMatchObject({ status: 'synced', targetId: bob.id });
    const all = await allObjects(s.schema.id);
    expect(all.find((o) => o.id === bob.id)).toMatchObject({ deletedAt: null, data: { city: 'Zwolle' } });
    expect(all.find((o) => o.id === two.targetId)).toMatchObject({ data: { city: 'Arnhem' } });

    // Whatever order the contracts were recorded in, the one that links an object is the live one.
    const pairs = createPairStore(t.db.db, { orgId: s.orgId, syncId: s.sync.id });
    const tomb = (await pairs.byOriginIds(['2'])).get('2')!;
    await pairs.save([{ ...tomb, originId: '9', status: 'deleted', targetId: bob.id }]);
    expect((await pairs.byTargetIds([bob.id])).get(bob.id)).toMatchObject({ originId: '4' });
  });
});
