// A two-way synchronisation adds a register object to its REST source (json-server), which writes it, but
// the connection breaks before the answer leaves: Concord never learns the id the source gave the new
// object, and there is no match field to look it up by. The create intent stays `sending` with the object
// it sent (targets/create-intents.ts), so the next run's listing knows the object again by what was sent
// and links it to the register object it came from — not copied into the register as a second object,
// nor POSTed again (json-server ignores Idempotency-Key, so a repeat would be a second record).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createIntents } from '@/server/db/schema';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();
const { people, writes, clearRequests } = t;

async function withDeeCutOff() {
  const s = await restTwoWay(t.db.db, t.peer.url, { targetOnly: 'add-to-source' });
  await s.run();
  const dee = await s.api.registers.createObject({
    orgId: s.orgId,
    schemaId: s.schema.id,
    data: { name: 'Dee', email: 'dee@example.test' },
  });
  await t.peer.faults([
    {
      path: '/people',
      method: 'POST',
      whenBodyHas: 'dee@example.test',
      passThrough: true,
      cutOff: true,
      times: 1,
    },
  ]);
  await clearRequests();
  const deesAtSource = async () => (await people()).filter((p) => p.email === 'dee@example.test');
  const deesInRegister = async () =>
    (await s.registerObjects()).filter((o) => o.data['email'] === 'dee@example.test');
  const intents = () =>
    t.db.db.select().from(createIntents).where(eq(createIntents.synchronisationId, s.sync.id));
  return { s, dee, deesAtSource, deesInRegister, intents };
}

describe('two-way, no match field: a create at the source whose answer never came', () => {
  it('links the object the source made on the next run, by what was sent: one record on each side', async () => {
    const { s, dee, deesAtSource, deesInRegister, intents } = await withDeeCutOff();

    const first = await s.run();
    expect(first).toMatchObject({ failed: 1 });
    const [entry] = (await s.api.runs.entries({ orgId: s.orgId, runId: first.id })).rows;
    expect(entry).toMatchObject({ originId: dee.id, action: 'failed' });
    expect(entry?.reason).toContain('The request had been sent, so the object may have been created there.');
    // The source wrote her; Concord does not know her id.
    const [made] = await deesAtSource();
    expect(made).toMatchObject({ name: 'Dee', email: 'dee@example.test' });
    expect(await intents()).toEqual([
      expect.objectContaining({
        originId: `register:${dee.id}`,
        state: 'sending',
        sentObject: { name: 'Dee', email: 'dee@example.test' },
      }),
    ]);

    const second = await s.run();
    expect(second).toMatchObject({ result: 'success', created: 0, failed: 0 });
    expect((await s.api.runs.entries({ orgId: s.orgId, runId: second.id })).rows).toEqual([
      expect.objectContaining({
        originId: String(made!.id),
        action: 'create',
        reason: expect.stringContaining('found in the listing holding what was sent, and linked'),
      }),
    ]);
    // One POST in all, one Dee at the source and one in the register, linked to each other.
    expect(await writes()).toEqual({ 'POST /people': 1 });
    expect(await deesAtSource()).toHaveLength(1);
    expect((await deesInRegister()).map((o) => o.id)).toEqual([dee.id]);
    const contract = (await s.contractsOf()).find((c) => c.originId === String(made!.id));
    expect(contract).toMatchObject({ status: 'synced', lastAction: 'match', targetId: dee.id });
    expect(await intents()).toEqual([]);

    // Linked for real: an edit in the register goes to that record, by its id.
    const [now] = await deesInRegister();
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: dee.id,
      version: now!.version,
      data: { ...now!.data, city: 'Hoorn' },
    });
    await clearRequests();
    expect(await s.run()).toMatchObject({ result: 'success', failed: 0 });
    expect(await writes()).toEqual({ [`PUT /people/${made!.id}`]: 1 });
    expect(await deesAtSource()).toEqual([{ ...made, city: 'Hoorn' }]);
  });

  it('sends it again, under the same Idempotency-Key, when the source does not list it', async () => {
    const { s, dee, deesAtSource, deesInRegister, intents } = await withDeeCutOff();
    expect(await s.run()).toMatchObject({ failed: 1 });
    // The write did not stay (say the source rolled it back): nothing in the listing holds what was sent.
    const [made] = await deesAtSource();
    await fetch(`${t.peer.url}/people/${made!.id}`, { method: 'DELETE' });
    const [sent] = await intents();
    await clearRequests();

    expect(await s.run()).toMatchObject({ result: 'success', created: 1, failed: 0 });
    const posts = (await t.peer.requests()).filter((r) => r.method === 'POST');
    expect(posts).toEqual([expect.objectContaining({ idempotencyKey: sent!.idempotencyKey })]);
    expect(await deesAtSource()).toHaveLength(1);
    expect((await deesInRegister()).map((o) => o.id)).toEqual([dee.id]);
    expect(await intents()).toEqual([]);
  });
});
