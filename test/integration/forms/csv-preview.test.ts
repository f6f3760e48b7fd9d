// The CSV preview before a synchronisation reads the file: the whole file counted (rows, bad rows with
// their line, duplicate and missing ids of the chosen id column); the id column chosen there is saved on
// the source and is what its synchronisations identify rows by; and a file that cannot be parsed is
// refused at upload with its line, leaving the previous version the one synchronisations read.
import { eq } from 'drizzle-orm';
import type * as NextAuth from 'next-auth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contracts, ofSynchronisation, synchronisations } from '@/server/db/schema';
import { handleUpload, usedFileOf } from '@/server/services/source-files';
import { loadSource } from '@/server/services/sources';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fileToRegister, liveObjects, runAndWait, uploadVersion } from '../helpers/sync-more';

vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: vi.fn(() => Promise.resolve(null)),
}));

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const CSV = [
  'code,name,city',
  'A1,Ada,London',
  'B2,Grace,New York',
  'A1,Alan,Wilmslow', // the same code as line 2
  'C3,Edsger', // one field short
  'D4,Barbara,Boston',
  ',Nobody,Nowhere', // no code
  '',
].join('\n');

async function setup() {
  return fileToRegister(db.db, {
    format: 'csv',
    jsonSchema: { type: 'object', required: ['code', 'name'] },
    mapping: { mapping: { code: 'code', name: 'name' } },
    sourceIdField: 'id',
  });
}

async function upload(s: Awaited<ReturnType<typeof setup>>, text: string, name: string) {
  const response = await handleUpload(
    db.db,
    { orgId: s.orgId, userId: s.owner.user.id },
    s.source.id,
    new Blob([text]).stream(),
    name,
    'text/csv',
  );
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe('the CSV preview', () => {
  it('counts the rows, lists the bad row, the duplicate and missing ids, all by their file line', async () => {
    const s = await setup();
    expect((await upload(s, CSV, 'people.csv')).status).toBe(201);
    const preview = await s.api.sources.preview({ orgId: s.orgId, sourceId: s.source.id, idColumn: 'code' });
    // One numbering for every row named: the file line, as an editor shows it (the header is line 1).
    expect(preview.scan).toEqual({
      rows: 5,
      numbering: 'line',
      badRows: {
        count: 1,
        listed: [{ line: 5, reason: 'it has 2 fields but the header has 3' }],
      },
      ids: {
        column: 'code',
        duplicates: { count: 1, listed: [{ id: 'A1', count: 2, rows: [2, 4] }] },
        missing: { count: 1, rows: [7] },
      },
    });
    expect(preview.savedIdColumn).toBe(null);
  });

  it('saves the chosen id column on the source, and synchronisations identify rows by it', async () => {
    const s = await setup();
    await uploadVersion(db.db, s, 'code,name\nx-1,Ada\nx-2,Grace\n', 'people.csv');
    const { config } = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    await s.api.sources.update({
      orgId: s.orgId,
      sourceId: s.source.id,
      config: { ...config, csv: { ...(config as { csv: object }).csv, idColumn: 'code' } },
    });
    const preview = await s.api.sources.preview({ orgId: s.orgId, sourceId: s.source.id });
    expect(preview.savedIdColumn).toBe('code');
    expect(preview.scan?.ids?.column).toBe('code');

    // The synchronisation was saved with `id` (a column this file lacks); the run reads `code`.
    const run = await runAndWait(s.api, s.orgId, s.sync.id);
    expect(run.result).toBe('success');
    const ids = await db.db
      .select({ originId: contracts.originId })
      .from(contracts)
      .where(ofSynchronisation(s.sync.id));
    expect(ids.map((c) => c.originId).sort()).toEqual(['x-1', 'x-2']);
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(2);

    // Saved again, the synchronisation stores the id column as its id field.
    await s.api.synchronisations.update({ orgId: s.orgId, syncId: s.sync.id, ...s.input });
    const [saved] = await db.db
      .select({ sourceConfig: synchronisations.sourceConfig })
      .from(synchronisations)
      .where(eq(synchronisations.id, s.sync.id));
    expect(saved?.sourceConfig).toMatchObject({ sourceIdField: 'code' });
  });

  it('refuses a file that cannot be parsed with its line; the previous version stays the one read', async () => {
    const s = await setup();
    const good = await upload(s, 'code,name\nA1,Ada\n', 'v1.csv');
    expect(good.status).toBe(201);

    const broken = await upload(s, 'code,name\nA1,Ada\nB2,"never closed\nC3,x\nD4,y\n', 'v2.csv');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/^The file was not stored: /);
    expect(broken.body.error).toMatch(/line 3/);
    expect(broken.body.error).toMatch(/Fix the file and upload it again/);

    const versions = await s.api.sources.files({ orgId: s.orgId, sourceId: s.source.id });
    expect(versions.map((v) => [v.name, v.version])).toEqual([['v1.csv', 1]]);
    const used = await usedFileOf(db.db, await loadSource(db.db, s.orgId, s.source.id));
    expect(used?.name).toBe('v1.csv');
  });
});
