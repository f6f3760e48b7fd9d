// A hub of two two-way legs on one register schema, through the API: when one leg's mapping puts its
// system's id into the register's `id`, every leg whose write-back sends `id` back as it is would write
// that system's ids into its own. The save answers a warning (never a refusal) naming the other leg, and
// the synchronisation's warnings (its page) keep saying it until the write-back leaves the id out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { restTwoWay } from '../two-way/setup';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const foreignId = <W extends { message: string }>(warnings: readonly W[]) =>
  warnings.filter((w) => w.message.includes('keeps its own ids'));

describe('a write-back that would carry another system’s ids', () => {
  it('is warned about on save and on the page, naming the other leg, until the write-back leaves the id out', async () => {
    // Leg A: the CRM, whose mapping carries no id.
    const crm = await restTwoWay(db.db, 'http://127.0.0.1:9');
    const { api, orgId } = crm;
    const alone = await api.synchronisations.warnings({ orgId, syncId: crm.sync.id });
    expect(foreignId(alone)).toEqual([]);

    // Leg B: a shop whose mapping carries the shop's own id into the register's `id`.
    const shop = await api.sources.create({
      orgId,
      name: 'Shop',
      type: 'rest',
      config: { baseUrl: 'http://127.0.0.1:10' },
    });
    const shopMapping = await api.mappings.create({
      orgId,
      name: 'Shop person',
      config: { mapping: { id: 'id', name: 'name', email: 'email', city: 'city' } },
    });
    const legB = {
      name: 'Shop ⇄ directory',
      sourceId: shop.id,
      sourceEndpoint: '/customers',
      mappingId: shopMapping.id,
      targetType: 'register' as const,
      targetRegisterId: crm.register.id,
      targetSchemaId: crm.schema.id,
      direction: 'two-way' as const,
      twoWay: {},
    };
    const saved = await api.synchronisations.create({ orgId, ...legB });
    // Saved all the same: a warning at the mapping, naming the other leg.
    expect(saved.id).toMatch(/^syn_/);
    expect(foreignId(saved.warnings)).toEqual([
      {
        field: 'mappingId',
        others: [{ id: crm.sync.id, name: 'CRM ⇄ directory' }],
        message:
          'The write-back to “Shop” sends the field “id”, which is where “Shop” keeps its own ids. ' +
          '“CRM ⇄ directory” also writes into this register schema, so for their objects “id” holds another ' +
          "system's id, which would be written into “Shop”'s ids. Leave “id” out of the write-back mapping " +
          '(Concord finds each object at “Shop” by its contract), or map it from a field that holds ' +
          "“Shop”'s own id.",
      },
    ]);

    // The CRM leg sends the register's objects back as they are: the shop's ids would go into the CRM.
    const crmWarnings = foreignId(await api.synchronisations.warnings({ orgId, syncId: crm.sync.id }));
    expect(crmWarnings).toHaveLength(1);
    expect(crmWarnings[0]!.message).toContain('The write-back to “CRM” sends the field “id”');
    expect(crmWarnings[0]!.others).toEqual([{ id: saved.id, name: 'Shop ⇄ directory' }]);

    // A write-back mapping without the id: the CRM leg is no longer warned.
    const crmBack = await api.mappings.create({
      orgId,
      name: 'Person back to the CRM',
      config: { mapping: { name: 'name', email: 'email', city: 'city' } },
    });
    const crmFixed = await api.synchronisations.update({
      orgId,
      syncId: crm.sync.id,
      name: crm.sync.name,
      sourceId: crm.source.id,
      sourceEndpoint: '/people',
      mappingId: crm.mapping.id,
      targetType: 'register',
      targetRegisterId: crm.register.id,
      targetSchemaId: crm.schema.id,
      direction: 'two-way',
      twoWay: {},
      writeBackMappingId: crmBack.id,
    });
    expect(foreignId(crmFixed.warnings)).toEqual([]);
    expect(foreignId(await api.synchronisations.warnings({ orgId, syncId: crm.sync.id }))).toEqual([]);

    // The shop's own id kept in a field of its own and mapped back from there: a choice, not a leak.
    const shopBack = await api.mappings.create({
      orgId,
      name: 'Person back to the shop',
      config: { mapping: { id: 'shopId', name: 'name', email: 'email', city: 'city' } },
    });
    const shopFixed = await api.synchronisations.update({
      orgId,
      syncId: saved.id,
      ...legB,
      writeBackMappingId: shopBack.id,
    });
    expect(foreignId(shopFixed.warnings)).toEqual([]);
  });
});
