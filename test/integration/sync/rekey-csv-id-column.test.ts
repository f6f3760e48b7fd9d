// A CSV source's id column (saved on the source, chosen in its file's preview) is the id field of every
// synchronisation reading it. Changing it made their next runs see every row as new: each created again
// in the register, each old one deleted. Saving the source now re-keys their contracts from the rows
// they kept — or refuses at the id column, naming examples, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, ofSynchronisation } from '@/server/db/schema';
import { requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { failure } from '../helpers/owner-api';
import { fileToRegister, liveObjects, runAndWait, uploadVersion } from '../helpers/sync-more';
import { PERSON_SCHEMA } from '../helpers/sync-setup';

const CSV = [
  'id,code,name,email',
  '1,c-3,Ada,ada@example.test',
  '2,c-2,Grace,grace@example.test',
  '3,c-1,Ada,ada2@example.test',
].join('\n');

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("changing a CSV source's id column", () => {
  it('re-keys its synchronisations, or refuses a column two rows share', async () => {
    const s = await fileToRegister(db.db, {
      format: 'csv',
      jsonSchema: PERSON_SCHEMA,
      mapping: { mapping: { name: 'name', email: 'email' } },
      sourceIdField: 'id',
    });
    await uploadVersion(db.db, s, CSV, 'people.csv');
    expect(await runAndWait(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 3 });
    const originIds = async () =>
      (
        await db.db
          .select({ originId: contracts.originId })
          .from(contracts)
          .where(ofSynchronisation(s.sync.id))
          .orderBy(contracts.seq)
      ).map((c) => c.originId);
    const { config } = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    const withIdColumn = (idColumn: string) =>
      s.api.sources.update({
        orgId: s.orgId,
        sourceId: s.source.id,
        config: { ...config, csv: { ...(config as { csv: object }).csv, idColumn } },
      });

    const refused = await failure(withIdColumn('name'));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'config.csv.idColumn' });
    expect(refused.message).toContain(
      'Changing the id column from "id" to "name" (synchronisation "File into the register") re-keys its 3 contracts',
    );
    expect(refused.message).toContain(
      'the contract of "3": its source object would get the id "Ada", as "1" would',
    );
    expect((await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id })).config).toEqual(config);
    expect(await originIds()).toEqual(['1', '2', '3']);

    await withIdColumn('code');
    expect(await originIds()).toEqual(['c-3', 'c-2', 'c-1']);
    expect(await runAndWait(s.api, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      created: 0,
      deleted: 0,
    });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(3);
  });

  it('takes the id column its runs read as the id field a save of the synchronisation starts from', async () => {
    const s = await fileToRegister(db.db, {
      format: 'csv',
      jsonSchema: PERSON_SCHEMA,
      mapping: { mapping: { name: 'name', email: 'email' } },
      sourceIdField: 'id',
    });
    await uploadVersion(db.db, s, CSV, 'people.csv');
    const { config } = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    // Chosen before any run: nothing to re-key, and the synchronisation's settings still say `id`.
    await s.api.sources.update({
      orgId: s.orgId,
      sourceId: s.source.id,
      config: { ...config, csv: { ...(config as { csv: object }).csv, idColumn: 'code' } },
    });
    expect(await runAndWait(s.api, s.orgId, s.sync.id)).toMatchObject({ created: 3 });
    // Saving the synchronisation (its id field becomes the column) is no change of what runs read: it is
    // not held up by a run waiting to start, and the contracts keep their ids.
    await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
    await s.api.synchronisations.update({ orgId: s.orgId, syncId: s.sync.id, ...s.input });
    const ids = await db.db
      .select({ originId: contracts.originId })
      .from(contracts)
      .where(ofSynchronisation(s.sync.id))
      .orderBy(contracts.seq);
    expect(ids.map((c) => c.originId)).toEqual(['c-3', 'c-2', 'c-1']);
  });
});
