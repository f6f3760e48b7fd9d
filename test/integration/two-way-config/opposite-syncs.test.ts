// Issue 11's trap: a synchronisation from an API into a register schema and one from that schema back to
// the API duplicate records every round. Saving the second of such a pair is refused — in either order,
// on create, on edit and on enabling — with a sentence that names the other synchronisation and proposes
// making the inbound one two-way. A two-way synchronisation with a one-way one the other way, two
// register schemas copied into each other, and a schema copied into itself are refused the same way;
// a disabled one is saved, and other organisations' synchronisations do not count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynchronisationInput } from '@/server/services/synchronisations';
import { refusal, twoWaySetup, type TwoWaySetup } from './setup';

let s: TwoWaySetup;
let pullInput: SynchronisationInput;
let pushInput: SynchronisationInput;
beforeAll(async () => {
  s = await twoWaySetup();
  const { direction: _d, ...oneWay } = s.twoWay;
  pullInput = { ...oneWay, name: 'People into the directory' };
  pushInput = {
    name: 'Directory to the People API',
    sourceId: s.registerSource.id,
    targetType: 'source',
    targetSourceId: s.peerSource.id,
    targetConfig: { createEndpoint: '/people', updateEndpoint: '/people/{{targetId}}' },
    deleteMode: 'hard',
  };
});
afterAll(async () => {
  await s.db.close();
});

const create = (input: SynchronisationInput) => s.api.synchronisations.create({ orgId: s.orgId, ...input });
const remove = (syncId: string) => s.api.synchronisations.delete({ orgId: s.orgId, syncId });

const BOTH_WAYS =
  'together they would create each record again on the other side, duplicating records every round.';

describe('an API into a register schema, and the schema back to the API', () => {
  it('refuses the push when the pull exists, and proposes making the pull two-way', async () => {
    const pull = await create(pullInput);
    expect(await refusal(create(pushInput))).toEqual({
      code: 'CONFLICT',
      message:
        '“People into the directory” already copies “People API” to the schema Directory › Person, and this ' +
        `synchronisation copies them back: ${BOTH_WAYS} Make “People into the directory” two-way instead of ` +
        'adding this synchronisation: one synchronisation keeps both sides in step, with one contract per object.',
      issues: [{ field: 'targetSourceId', message: expect.any(String) as string }],
    });
    await remove(pull.id);
  });

  it('refuses the pull when the push exists, and proposes making it two-way instead', async () => {
    const push = await create(pushInput);
    expect(await refusal(create(pullInput))).toEqual({
      code: 'CONFLICT',
      message:
        '“Directory to the People API” already copies the schema Directory › Person to “People API”, and this ' +
        `synchronisation copies them back: ${BOTH_WAYS} Make “People into the directory” two-way instead (one ` +
        'synchronisation, one contract per object) and delete or disable “Directory to the People API”.',
      issues: [{ field: 'targetSchemaId', message: expect.any(String) as string }],
    });
    await remove(push.id);
  });

  it('refuses an edit that turns a push elsewhere into the opposite of the pull', async () => {
    const pull = await create(pullInput);
    const other = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Other API',
      type: 'rest',
      config: { baseUrl: 'http://127.0.0.1:9' },
    });
    const push = await create({ ...pushInput, targetSourceId: other.id });
    const edit = s.api.synchronisations.update({ orgId: s.orgId, syncId: push.id, ...pushInput });
    expect((await refusal(edit)).message).toMatch(/Make “People into the directory” two-way instead/);
    await remove(push.id);
    await remove(pull.id);
  });

  it('saves the second one disabled, and refuses to enable it', async () => {
    const pull = await create(pullInput);
    const push = await create({ ...pushInput, enabled: false });
    expect(push.enabled).toBe(false);
    const enable = s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: push.id, enabled: true });
    expect((await refusal(enable)).message).toMatch(
      /^“People into the directory” already copies “People API” to the schema Directory › Person/,
    );
    // With the pull switched off, the push may run.
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: pull.id, enabled: false });
    await s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: push.id, enabled: true });
    // …and then the pull may not be switched on again.
    const again = s.api.synchronisations.setEnabled({ orgId: s.orgId, syncId: pull.id, enabled: true });
    expect((await refusal(again)).message).toMatch(/Make “People into the directory” two-way instead/);
    await remove(push.id);
    await remove(pull.id);
  });

  it('refuses a one-way synchronisation against a two-way one, and a two-way one against a one-way one', async () => {
    const twoWay = await create(s.twoWay);
    expect((await refusal(create(pushInput))).message).toBe(
      '“People both ways” already keeps the schema Directory › Person and “People API” in step both ways: ' +
        `${BOTH_WAYS.replace(/\.$/, '')}. It does this synchronisation’s work already: use it, or disable it before enabling this one.`,
    );
    await remove(twoWay.id);

    const push = await create(pushInput);
    const refused = await refusal(create(s.twoWay));
    expect(refused.message).toMatch(
      /^“Directory to the People API” already copies the schema Directory › Person to “People API”/,
    );
    expect(refused.message).toMatch(/Delete or disable “Directory to the People API” first/);
    expect(refused.issues).toEqual([{ field: 'direction', message: refused.message }]);
    await remove(push.id);
  });

  it('does not count other organisations’ synchronisations', async () => {
    const pull = await create(pullInput);
    const elsewhere = await twoWaySetup();
    try {
      const theirPush = await elsewhere.api.synchronisations.create({
        orgId: elsewhere.orgId,
        ...pushInput,
        sourceId: elsewhere.registerSource.id,
        targetSourceId: elsewhere.peerSource.id,
      });
      expect(theirPush.enabled).toBe(true);
    } finally {
      await elsewhere.db.close();
    }
    await remove(pull.id);
  });
});

describe('register schemas copied into each other', () => {
  it('refuses the second direction and a schema copied into itself', async () => {
    const schema2 = await s.api.registers.createSchema({
      orgId: s.orgId,
      registerId: s.register.id,
      name: 'Contact',
      jsonSchema: { type: 'object' },
    });
    const contacts = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Contacts',
      type: 'register',
      config: { registerId: s.register.id, schemaId: schema2.id },
    });
    const toRegister = { targetType: 'register' as const, targetRegisterId: s.register.id };
    const forth = await create({
      name: 'People to contacts',
      sourceId: s.registerSource.id,
      ...toRegister,
      targetSchemaId: schema2.id,
    });
    const back = await refusal(
      create({
        name: 'Contacts to people',
        sourceId: contacts.id,
        ...toRegister,
        targetSchemaId: s.schema.id,
      }),
    );
    expect(back.message).toBe(
      '“People to contacts” already copies the schema Directory › Person to the schema Directory › Contact, ' +
        `and this synchronisation copies them back: ${BOTH_WAYS} Keep one direction only: disable or delete one of them.`,
    );
    const self = await refusal(
      create({
        name: 'Contacts to contacts',
        sourceId: contacts.id,
        ...toRegister,
        targetSchemaId: schema2.id,
      }),
    );
    expect(self).toMatchObject({
      code: 'CONFLICT',
      message:
        'This synchronisation reads the schema Directory › Contact and writes to it as well: every run would copy each object into it again. Choose another target.',
    });
    await remove(forth.id);
  });
});
