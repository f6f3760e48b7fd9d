// A two-way synchronisation adds a register object to its REST source (json-server), which takes the POST
// (a 2xx) but answers with a page Concord cannot read: Concord does not learn the id the source gave the
// new object, and there is no match field to look it up by. The create intent remembers that the source
// accepted it and what was sent (targets/create-intents.ts `accepted`): the next run's listing knows the
// object again by what was sent and links it, and a create the source does not list is not sent again
// until the register object changes — never a second copy at the source, nor one read back into the register.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createIntents } from '@/server/db/schema';
import type { Fault } from '../helpers/json-server';
import { restPeerFixture } from './rest-peer';
import { restTwoWay } from './setup';

const t = restPeerFixture();
const { people, writes, clearRequests } = t;
const GATEWAY_PAGE = '<html><body><h1>Request accepted</h1></body></html>';

/** Dee's POST answered 201 with a page: after json-server wrote her (`passThrough`), or without writing. */
const pageForDee = (passThrough: boolean): Fault => ({
  path: '/people',
  method: 'POST',
  whenBodyHas: 'dee@example.test',
  ...(passThrough ? { passThrough: true, times: 1 } : { status: 201, times: 5 }),
  body: GATEWAY_PAGE,
  headers: { 'content-type': 'text/html' },
});

async function withDee(passThrough: boolean) {
  const s = await restTwoWay(t.db.db, t.peer.url, { targetOnly: 'add-to-source' });
  await s.run();
  const dee = await s.api.registers.createObject({
    orgId: s.orgId,
    schemaId: s.schema.id,
    data: { name: 'Dee', email: 'dee@example.test' },
  });
  await t.peer.faults([pageForDee(passThrough)]);
  await clearRequests();
  const entriesOf = async (runId: string) =>
    (await s.api.runs.entries({ orgId: s.orgId, runId })).rows.map((e) => ({
      originId: e.originId,
      action: e.action,
      reason: e.reason,
    }));
  const deesAtSource = async () => (await people()).filter((p) => p.email === 'dee@example.test');
  const deesInRegister = async () =>
    (await s.registerObjects()).filter((o) => o.data['email'] === 'dee@example.test');
  const intents = () =>
    t.db.db.select().from(createIntents).where(eq(createIntents.synchronisationId, s.sync.id));
  return { s, dee, entriesOf, deesAtSource, deesInRegister, intents };
}

describe('two-way, no match field: a create at the source answered 2xx with a page Concord cannot read', () => {
  it('says so; the next runs link the object the source made, by what was sent, and send no second POST', async () => {
    const { s, dee, entriesOf, deesAtSource, deesInRegister, intents } = await withDee(true);

    const first = await s.run();
    expect(first).toMatchObject({ failed: 1 });
    const [entry] = await entriesOf(first.id);
    expect(entry).toMatchObject({ originId: dee.id, action: 'failed' });
    expect(entry?.reason).toMatch(/^At the source: The target answered 201, so it accepted the object/);
    expect(entry?.reason).toContain('The object may have been created there.');
    expect(entry?.reason).toContain('so it is not sent again until it changes');
    expect(entry?.reason).toContain(
      'The next run also links it if the source lists an object holding every field that was sent.',
    );
    expect(await intents()).toEqual([
      expect.objectContaining({
        originId: `register:${dee.id}`,
        state: 'accepted',
        sentObject: { name: 'Dee', email: 'dee@example.test' },
      }),
    ]);
    expect(await writes()).toEqual({ 'POST /people': 1 });
    const [made] = await deesAtSource();
    expect(made).toBeDefined();

    for (const n of [2, 3]) {
      const run = await s.run();
      expect(run).toMatchObject({ result: 'success', created: 0, failed: 0 });
      expect(await writes()).toEqual({ 'POST /people': 1 });
      expect(await deesAtSource()).toHaveLength(1);
      expect((await deesInRegister()).map((o) => o.id)).toEqual([dee.id]);
      if (n === 2)
        expect(await entriesOf(run.id)).toEqual([
          {
            originId: String(made!.id),
            action: 'create',
            reason: expect.stringContaining('found in the listing holding what was sent, and linked'),
          },
        ]);
    }
    const contract = (await s.contractsOf()).find((c) => c.originId === String(made!.id));
    expect(contract).toMatchObject({ status: 'synced', lastAction: 'match', targetId: dee.id });
    // Settled: the intent is let go.
    expect(await intents()).toEqual([]);

    // Linked for real: an edit in the register goes to that object, by its id.
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

  it('one the source does not list is not sent again until the register object changes', async () => {
    const { s, dee, entriesOf, deesAtSource, deesInRegister, intents } = await withDee(false);
    expect(await s.run()).toMatchObject({ failed: 1 });
    expect(await deesAtSource()).toEqual([]);

    for (const _ of [2, 3]) {
      const run = await s.run();
      expect(run).toMatchObject({ created: 0, failed: 1 });
      expect(await writes()).toEqual({ 'POST /people': 1 });
      const [entry] = await entriesOf(run.id);
      expect(entry).toMatchObject({ originId: dee.id, action: 'failed' });
      expect(entry?.reason).toContain(
        'An earlier attempt to create this object was accepted by the target (a 2xx) without an answer naming the object it made: it may be there.',
      );
      expect(entry?.reason).toContain('so it is not sent again until it changes');
      expect(await deesInRegister()).toHaveLength(1);
    }

    // It changed: sent again, as the answers said.
    await t.peer.clearFaults();
    const [now] = await deesInRegister();
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: dee.id,
      version: now!.version,
      data: { ...now!.data, city: 'Hoorn' },
    });
    expect(await s.run()).toMatchObject({ result: 'success', failed: 0 });
    expect(await writes()).toEqual({ 'POST /people': 2 });
    const made = await deesAtSource();
    expect(made).toEqual([expect.objectContaining({ name: 'Dee', city: 'Hoorn' })]);
    const contract = (await s.contractsOf()).find((c) => c.originId === String(made[0]!.id));
    expect(contract).toMatchObject({ status: 'synced', targetId: dee.id });
    expect(await intents()).toEqual([]);
    await clearRequests();
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, failed: 0 });
    expect(await writes()).toEqual({});
  });

  it('a match field set after the answer links the object by it, without a second POST', async () => {
    const { s, dee, deesAtSource, deesInRegister } = await withDee(true);
    expect(await s.run()).toMatchObject({ failed: 1 });
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      name: s.sync.name,
      sourceId: s.source.id,
      sourceEndpoint: '/people',
      mappingId: s.mapping.id,
      targetType: 'register',
      targetRegisterId: s.register.id,
      targetSchemaId: s.schema.id,
      direction: 'two-way',
      twoWay: { targetOnly: 'add-to-source', match: { source: 'email', target: 'email' } },
    });
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, failed: 0 });
    expect(await writes()).toEqual({ 'POST /people': 1 });
    const made = await deesAtSource();
    expect(made).toHaveLength(1);
    expect((await deesInRegister()).map((o) => o.id)).toEqual([dee.id]);
    const contract = (await s.contractsOf()).find((c) => c.originId === String(made[0]!.id));
    expect(contract).toMatchObject({ status: 'synced', lastAction: 'match', targetId: dee.id });
  });
});
