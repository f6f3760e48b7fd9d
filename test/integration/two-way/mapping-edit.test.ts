// An organisation adds a field to a two-way synchronisation's mappings (the CRM's `tel` as the register's
// `phone`, and back). The objects were in step before the edit; the edit is what sets them apart, so the
// source's version through the new mapping must reach the register — whichever side is the source of
// truth. With the register as the source of truth its version (no phone yet) went back to the source,
// and the PUT erased every record's telephone number there.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests } from '../helpers/push-setup';
import { restTwoWay } from './setup';

const crm = () => [
  { id: 1, name: 'Ada', email: 'ada@example.test', city: 'Leiden', tel: '071-111' },
  { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Delft', tel: '015-222' },
];

let db: TestDatabase;
let peer: JsonServer | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
beforeEach(async () => {
  await peer?.stop();
  peer = await startJsonServer({ people: crm() });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

const held = async () => (await (await fetch(`${peer!.url}/people`)).json()) as Record<string, unknown>[];
const writes = async () => countRequests(await peer!.requests());

async function addPhone(sourceOfTruth: 'source' | 'target') {
  const s = await restTwoWay(db.db, peer!.url, { sourceOfTruth });
  expect(await s.run()).toMatchObject({ result: 'success', created: 2 });
  await s.mapBothWays(
    { name: 'name', email: 'email', city: 'city', phone: 'tel' },
    { name: 'name', email: 'email', city: 'city', tel: 'phone' },
  );
  return s;
}

describe('a two-way synchronisation whose mapping gains a field', () => {
  for (const sourceOfTruth of ['target', 'source'] as const) {
    it(`brings the field into the register and keeps it at the source (source of truth: ${sourceOfTruth})`, async () => {
      const s = await addPhone(sourceOfTruth);
      const before = await writes();
      const run = await s.run();
      expect(run).toMatchObject({ result: 'success', updated: 2 });
      expect(run.message).toContain('In the register: created 0, updated 2');
      expect(await held()).toEqual(crm());
      expect(await writes()).toEqual(before);
      const phones = (await s.registerObjects()).map((o) => [o.data.name, o.data.phone]).sort();
      expect(phones).toEqual([
        ['Ada', '071-111'],
        ['Bob', '015-222'],
      ]);
      // Once: the next run finds both sides in step and writes nothing.
      const again = await s.run();
      expect(again).toMatchObject({ result: 'success', updated: 0, created: 0 });
      expect(again.message).toContain('2 in step');
      expect(await writes()).toEqual(before);
    });
  }
});

// The same edit, while a person had changed a record in the register since the last run (Ada moved). The
// register's side changed, so its version went to the source — through the new write-back mapping, which
// now carries `tel` from a `phone` the register never had: Ada's telephone number was erased at the
// source for good, and never reached the register. The edit changed how the source reads too: both sides
// changed, and they are settled as such (a conflict for a person, by default), losing nothing.
describe('a two-way synchronisation whose mapping gains a field while a record changed in the register', () => {
  it('does not erase the field at the source: both sides changed, and a person decides', async () => {
    const s = await restTwoWay(db.db, peer!.url, {});
    expect(await s.run()).toMatchObject({ result: 'success', created: 2 });
    const ada = (await s.registerObjects()).find((o) => o.data.name === 'Ada')!;
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Haarlem' },
    });
    await s.mapBothWays(
      { name: 'name', email: 'email', city: 'city', phone: 'tel' },
      { name: 'name', email: 'email', city: 'city', tel: 'phone' },
    );
    const run = await s.run();
    expect(run.result).not.toBe('error');
    // Nothing erased at the source: Ada keeps her number (and her city, until a person decides).
    expect((await held()).find((p) => p.name === 'Ada')).toMatchObject({ tel: '071-111' });
    // Bob, unchanged in the register, gets his phone as in the cases above.
    const bob = (await s.registerObjects()).find((o) => o.data.name === 'Bob')!;
    expect(bob.data.phone).toBe('015-222');
    // Ada waits for a person, with both sides' versions: the register's city, the source's phone.
    const open = (await s.conflictsOf()).filter((c) => c.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0]!.sourceMapped).toMatchObject({ name: 'Ada', city: 'Leiden', phone: '071-111' });
    expect(open[0]!.targetData).toMatchObject({ name: 'Ada', city: 'Haarlem' });
    expect(open[0]!.targetData).not.toHaveProperty('phone');
  });
});
