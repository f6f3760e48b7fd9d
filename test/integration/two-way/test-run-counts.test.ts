// A test run (dry run) of a two-way synchronisation writes nothing, and its counts and message are what a
// real run would do ("would create 1, update 1, delete 1" on each side), as the README says of every test
// run — not zeros beside a log that lists the writes.
import { describe, expect, it } from 'vitest';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();

describe('a two-way test run', () => {
  it('counts what a real run would write on each side, and writes nothing', async () => {
    await fetch(`${t.peer.url}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 4, name: 'Eve', email: 'eve@example.test', city: 'Breda' }),
    });
    const s = await restTwoWay(
      t.db.db,
      t.peer.url,
      { targetOnly: 'add-to-source' },
      { deleteMode: 'hard', deleteThreshold: 1 },
    );
    await s.run();
    const byEmail = async (email: string) => (await s.registerObjects()).find((o) => o.data.email === email)!;

    // At the source: Ada moves, Bob leaves. In the register: Cy leaves, Eve moves, Dee arrives.
    await t.patch(1, { city: 'Gouda' });
    await fetch(`${t.peer.url}/people/2`, { method: 'DELETE' });
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: (await byEmail('cy@example.test')).id });
    const eve = await byEmail('eve@example.test');
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: eve.id,
      version: eve.version,
      data: { ...eve.data, city: 'Zwolle' },
    });
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Dee', email: 'dee@example.test' },
    });
    const before = { people: await t.people(), register: await s.registerObjects() };
    await t.clearRequests();

    const dry = await s.run({ test: true });
    expect(dry.message).toContain('In the register: would create 0, update 1, delete 1.');
    expect(dry.message).toContain('At the source: would create 1, update 1, delete 1.');
    expect(dry).toMatchObject({ test: true, created: 1, updated: 2, deleted: 2, failed: 0 });
    // Nothing written anywhere.
    expect(await t.writes()).toEqual({});
    expect(await t.people()).toEqual(before.people);
    expect(await s.registerObjects()).toEqual(before.register);

    // The real run does what the test run said.
    const real = await s.run();
    expect(real).toMatchObject({ created: 1, updated: 2, deleted: 2, failed: 0 });
  });
});
