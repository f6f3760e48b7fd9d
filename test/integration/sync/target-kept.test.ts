// A synchronisation that has written objects keeps its target: its contracts link each source object to
// the object it wrote there. Pointed at another register schema, a one-way run wrote nothing to it (every
// object "already written") and a two-way run deleted every object at the source (none found in the new
// schema). The save refuses it at the field, and a synchronisation that has written nothing yet may
// still be pointed elsewhere.
import { describe, expect, it } from 'vitest';
import { objects, ofSchema } from '@/server/db/schema';
import { startJsonServer } from '../helpers/json-server';
import { PERSON_SCHEMA, restToRegister, runDirect } from '../helpers/sync-setup';
import { crew, restPeerFixture } from '../two-way/rest-peer';
import { restTwoWay } from '../two-way/setup';

const t = restPeerFixture();

const REFUSAL =
  /^This synchronisation keeps 3 contracts linking its source's objects to the objects it wrote in its target, so it cannot be pointed at another target: .* Create a new synchronisation for the other target; deleting this one leaves what it wrote where it is\.$/;

/** The refusal as the forms read it: the message at its field. */
const refusalOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as { code: string; message: string; cause: { field?: string } },
  );
  if (!error) throw new Error('expected the save to be refused');
  return { code: error.code, message: error.message, field: error.cause.field };
};

async function anotherSchema(
  s: Pick<Awaited<ReturnType<typeof restToRegister>>, 'api' | 'orgId' | 'register'>,
) {
  return s.api.registers.createSchema({
    orgId: s.orgId,
    registerId: s.register.id,
    name: 'Person, again',
    jsonSchema: PERSON_SCHEMA,
  });
}

describe('a synchronisation keeps the target it has written to', () => {
  it('refuses another schema for a one-way one that wrote objects, and goes on writing where it did', async () => {
    const s = await restToRegister(t.db.db, t.peer.url);
    expect(await runDirect(t.db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 3 });
    const other = await anotherSchema(s);
    const base = { orgId: s.orgId, syncId: s.sync.id, ...s.input };

    const refused = await refusalOf(s.api.synchronisations.update({ ...base, targetSchemaId: other.id }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'targetSchemaId' });
    expect(refused.message).toMatch(REFUSAL);
    const toApi = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Another API',
      type: 'rest',
      config: { baseUrl: t.peer.url },
    });
    const elsewhere = {
      targetType: 'source' as const,
      targetRegisterId: null,
      targetSchemaId: null,
      targetSourceId: toApi.id,
      targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
    };
    expect(await refusalOf(s.api.synchronisations.update({ ...base, ...elsewhere }))).toMatchObject({
      field: 'targetType',
    });
    expect(await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id })).toMatchObject({
      targetType: 'register',
      targetSchemaId: s.schema.id,
    });
    // Saving the same target again is no change of target.
    await s.api.synchronisations.update({ ...base, name: 'People, renamed' });
    await t.patch(1, { name: 'Ada L.' });
    expect(await runDirect(t.db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', updated: 1 });
  });

  it('refuses another schema for a two-way one, whose source then keeps every object', async () => {
    const s = await restTwoWay(t.db.db, t.peer.url);
    expect(await s.run()).toMatchObject({ result: 'success' });
    expect(await s.registerObjects()).toHaveLength(3);
    const other = await anotherSchema(s);
    const refused = await refusalOf(
      s.api.synchronisations.update({
        orgId: s.orgId,
        syncId: s.sync.id,
        name: s.sync.name,
        sourceId: s.source.id,
        sourceEndpoint: '/people',
        mappingId: s.mapping.id,
        targetType: 'register',
        targetRegisterId: s.register.id,
        targetSchemaId: other.id,
        direction: 'two-way',
      }),
    );
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'targetSchemaId' });
    expect(refused.message).toMatch(REFUSAL);
    await t.clearRequests();
    expect(await s.run()).toMatchObject({ result: 'success', created: 0, updated: 0, deleted: 0 });
    expect(await t.writes()).toEqual({});
    expect(await t.people()).toEqual(crew());
  });

  it('lets one that has written nothing yet (a test run only) be pointed at another schema, and writes there', async () => {
    const s = await restToRegister(t.db.db, t.peer.url);
    expect(await runDirect(t.db.db, s.orgId, s.sync.id, { test: true })).toMatchObject({ created: 3 });
    const other = await anotherSchema(s);
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      targetSchemaId: other.id,
    });
    expect(await runDirect(t.db.db, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 3 });
    const inOther = await t.db.db.select().from(objects).where(ofSchema(other.id));
    expect(inOther.map((o) => o.data.name).sort()).toEqual(['Ada', 'Bob', 'Cy']);
  });

  it('refuses another system as the target of a push that wrote there, and takes another record of the same one', async () => {
    const directory = await startJsonServer({ contacts: [] });
    try {
      const s = await restToRegister(t.db.db, t.peer.url);
      const api = (name: string, baseUrl: string) =>
        s.api.sources.create({ orgId: s.orgId, name, type: 'rest', config: { baseUrl } });
      const toApi = {
        ...s.input,
        targetType: 'source' as const,
        targetRegisterId: null,
        targetSchemaId: null,
        targetSourceId: (await api('Directory', directory.url)).id,
        targetConfig: { createEndpoint: '/contacts', updateEndpoint: '/contacts/{{targetId}}' },
      };
      const sync = await s.api.synchronisations.create({
        orgId: s.orgId,
        ...toApi,
        name: 'To the directory',
      });
      expect(await runDirect(t.db.db, s.orgId, sync.id)).toMatchObject({ result: 'success', created: 3 });
      const base = { orgId: s.orgId, syncId: sync.id, ...toApi, name: 'To the directory' };

      // Another system (the people API itself): refused at the target source.
      const other = await api('People API, written to', t.peer.url);
      const refused = await refusalOf(s.api.synchronisations.update({ ...base, targetSourceId: other.id }));
      expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'targetSourceId' });
      expect(refused.message).toMatch(REFUSAL);
      // Another source record of the same API (its base URL with a trailing slash): the same target.
      const again = await api('Directory, new credentials', `${directory.url}/`);
      await s.api.synchronisations.update({ ...base, targetSourceId: again.id });
      await t.patch(1, { name: 'Ada L.' });
      expect(await runDirect(t.db.db, s.orgId, sync.id)).toMatchObject({ result: 'success', updated: 1 });
      const contacts = (await (await fetch(`${directory.url}/contacts`)).json()) as { name: string }[];
      expect(contacts.map((c) => c.name).sort()).toEqual(['Ada L.', 'Bob', 'Cy']);
    } finally {
      await directory.stop();
    }
  });
});
