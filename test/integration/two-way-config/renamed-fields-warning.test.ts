// A two-way synchronisation whose mapping renames the source's fields on the way in, without a write-back
// mapping: the register's objects would go back as they are, with the register's names. The save answers
// a warning at the write-back mapping (never a refusal; the REST API's save answers the same list,
// services/sync-warnings.ts), and the synchronisation's page keeps it until a write-back mapping is chosen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { restTwoWay } from '../two-way/setup';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const renamedWarnings = <W extends { message: string }>(warnings: readonly W[]) =>
  warnings.filter((w) => w.message.includes('There is no write-back mapping'));

describe('a two-way mapping that renames fields, without a write-back mapping', () => {
  it('is warned about at the write-back mapping until one is chosen', async () => {
    // Same names on both sides: the objects can go back as they are.
    const s = await restTwoWay(db.db, 'http://127.0.0.1:9');
    const { api, orgId } = s;
    expect(renamedWarnings(await api.synchronisations.warnings({ orgId, syncId: s.sync.id }))).toEqual([]);

    const renaming = await api.mappings.create({
      orgId,
      name: 'Person with a code',
      config: {
        mapping: {
          code: 'id',
          name: 'name',
          email: 'email',
          city: 'address.city',
          label: '{{ name }} <{{ email }}>',
          kind: '=person',
        },
      },
    });
    const input = {
      orgId,
      syncId: s.sync.id,
      name: s.sync.name,
      sourceId: s.source.id,
      sourceEndpoint: '/people',
      mappingId: renaming.id,
      targetType: 'register' as const,
      targetRegisterId: s.register.id,
      targetSchemaId: s.schema.id,
      direction: 'two-way' as const,
      twoWay: {},
    };
    const saved = await api.synchronisations.update(input);
    expect(renamedWarnings(saved.warnings)).toEqual([
      {
        field: 'writeBackMappingId',
        others: [],
        message:
          "The mapping fills the register's “code” from its “id”, “city” from its “address.city”, “label” made " +
          "by the mapping, and 1 more. There is no write-back mapping, so the register's objects go back to " +
          "“CRM” as they are: it would be sent the register's fields (“code”), which it may not have, instead " +
          'of its own (“id”). Choose a write-back mapping that maps them back (“id” from “code”).',
      },
    ]);
    // The page says it too; the synchronisation was saved and runs as configured.
    expect(renamedWarnings(await api.synchronisations.warnings({ orgId, syncId: s.sync.id }))).toHaveLength(
      1,
    );

    const back = await api.mappings.create({
      orgId,
      name: 'Person back',
      config: { mapping: { id: 'code', name: 'name', email: 'email', 'address.city': 'city' } },
    });
    const fixed = await api.synchronisations.update({ ...input, writeBackMappingId: back.id });
    expect(renamedWarnings(fixed.warnings)).toEqual([]);
  });
});
