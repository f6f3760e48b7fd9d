// A CSV file source into the register through the API, on a real data set (vega-datasets' airports.csv,
// 3,376 rows keyed by IATA code, with quoted commas and escaped quotes) uploaded through storeFile:
// first run creates all, re-run skips all, one edited row updates one object, one removed row deletes
// one, and a file with an unclosed quote ends the run in error naming the line, deleting nothing.
import { createReadStream, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fileToRegister, liveObjects, runAndWait, uploadVersion } from '../helpers/sync-more';

const DATA_SET = 'node_modules/vega-datasets/data/airports.csv';
const ORIGINAL = readFileSync(DATA_SET, 'utf8');
const ROWS = ORIGINAL.trimEnd().split('\n').length - 1;

const AIRPORT_SCHEMA = {
  type: 'object',
  required: ['iata', 'name', 'latitude', 'longitude'],
  properties: {
    iata: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    city: { type: 'string' },
    state: { type: 'string' },
    country: { type: 'string' },
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
  },
};
const AIRPORT_MAPPING = {
  mapping: {
    iata: 'iata',
    name: 'name',
    city: 'city',
    state: 'state',
    country: 'country',
    latitude: 'latitude',
    longitude: 'longitude',
  },
  cast: { latitude: 'float', longitude: 'float' },
};

let db: TestDatabase;
let s: Awaited<ReturnType<typeof fileToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  s = await fileToRegister(db.db, {
    format: 'csv',
    jsonSchema: AIRPORT_SCHEMA,
    mapping: AIRPORT_MAPPING,
    sourceIdField: 'iata',
  });
});
afterAll(async () => {
  await db.close();
});

const run = () => runAndWait(s.api, s.orgId, s.sync.id);
async function airports() {
  return new Map((await liveObjects(db.db, s.schema.id)).map((o) => [String(o.data['iata']), o]));
}
/** The file with the row of `iata` replaced by `row` (or removed when null). */
function withRow(text: string, iata: string, row: string | null): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${iata},`));
  if (at < 1) throw new Error(`no row ${iata}`);
  if (row === null) lines.splice(at, 1);
  else lines[at] = row;
  return lines.join('\n');
}

// 3,376 rows per run: allow for a busy machine.
describe('a CSV file source into the register', { timeout: 60_000 }, () => {
  let current = ORIGINAL;

  it('creates one object per row on the first run, quoted fields intact', async () => {
    expect(ROWS).toBe(3376);
    await uploadVersion(db.db, s, createReadStream(DATA_SET, { highWaterMark: 16 * 1024 }), 'airports.csv');
    expect(await run()).toMatchObject({
      result: 'success',
      found: ROWS,
      created: ROWS,
      invalid: 0,
      failed: 0,
      complete: true,
    });
    const all = await airports();
    expect(all.size).toBe(ROWS);
    expect(all.get('00M')?.data).toEqual({
      iata: '00M',
      name: 'Thigpen',
      city: 'Bay Springs',
      state: 'MS',
      country: 'USA',
      latitude: 31.95376472,
      longitude: -89.23450472,
    });
    expect(all.get('DBN')?.data['name']).toBe('W. H. "Bud" Barron');
    expect(all.get('N25')?.data['city']).toBe('Westport, NY');
  });

  it('skips every row on an unchanged re-run', async () => {
    const before = [...(await airports()).values()].map((o) => [o.id, o.version]);
    expect(await run()).toMatchObject({
      result: 'success',
      found: ROWS,
      skipped: ROWS,
      created: 0,
      updated: 0,
    });
    expect([...(await airports()).values()].map((o) => [o.id, o.version])).toEqual(before);
  });

  it('updates exactly the one object whose row changed in a new upload', async () => {
    current = withRow(
      current,
      'BTR',
      'BTR,"Baton Rouge Metropolitan, Ryan Field",Baton Rouge,LA,USA,30.5332,-91.1496',
    );
    await uploadVersion(db.db, s, current, 'airports-v2.csv');
    const before = await airports();
    expect(await run()).toMatchObject({
      result: 'success',
      found: ROWS,
      updated: 1,
      skipped: ROWS - 1,
      created: 0,
      deleted: 0,
    });
    const after = await airports();
    expect(after.get('BTR')?.data).toMatchObject({
      name: 'Baton Rouge Metropolitan, Ryan Field',
      latitude: 30.5332,
      longitude: -91.1496,
    });
    expect(after.get('BTR')?.version).toBe((before.get('BTR')?.version ?? 0) + 1);
    const changed = [...after.values()].filter(
      (o) => o.version !== before.get(String(o.data['iata']))?.version,
    );
    expect(changed.map((o) => o.data['iata'])).toEqual(['BTR']);
  });

  it('deletes exactly the one object whose row was removed in a new upload', async () => {
    current = withRow(current, 'TOC', null);
    await uploadVersion(db.db, s, current, 'airports-v3.csv');
    expect(await run()).toMatchObject({
      result: 'success',
      found: ROWS - 1,
      deleted: 1,
      skipped: ROWS - 1,
      updated: 0,
      created: 0,
    });
    const after = await airports();
    expect(after.size).toBe(ROWS - 1);
    expect(after.has('TOC')).toBe(false);
  });

  /** Uploads `current` with the row of `iata` opening a quote it never closes; returns the run and line. */
  async function runWithUnclosedQuote(iata: string, row: string) {
    const broken = withRow(current, iata, row);
    const line = broken.split('\n').findIndex((l) => l.startsWith(`${iata},`)) + 1;
    await uploadVersion(db.db, s, broken, `airports-broken-${iata}.csv`);
    return { result: await run(), line };
  }

  it('ends in error on a quote left open to the end of the file, naming its line, and deletes nothing', async () => {
    // No quote follows this row: the open quote swallows the last 200-odd rows, which would look vanished.
    const { result, line } = await runWithUnclosedQuote(
      'TUS',
      'TUS,"Tucson International,Tucson,AZ,USA,32.11608333,-110.9410278',
    );
    expect(line).toBeGreaterThan(3000);
    expect(result).toMatchObject({ result: 'error', complete: false, deleted: 0 });
    expect(result.message).toContain(`line ${line}`);
    expect(result.message).toMatch(/quote/i);
    expect(result.message).toMatch(/nothing was deleted|no deletions|deleted nothing/i);
    const after = await airports();
    expect(after.size).toBe(ROWS - 1);
    expect(after.has('ZZV')).toBe(true);
  });

  it('ends in error on a quote left open until a later row’s quote, and deletes nothing', async () => {
    // The next quote in the file is 46 rows further, in N25's "Westport, NY": everything up to it must
    // not silently become part of MSY's name.
    const { result, line } = await runWithUnclosedQuote(
      'MSY',
      'MSY,"Louis Armstrong New Orleans Intl,New Orleans,LA,USA,29.99,-90.26',
    );
    expect(result).toMatchObject({ result: 'error', complete: false, deleted: 0 });
    expect(result.message).toContain(`line ${line}`);
    expect(result.message).toMatch(/nothing was deleted|no deletions|deleted nothing/i);
    const after = await airports();
    expect(after.size).toBe(ROWS - 1);
    expect(after.get('MSY')?.data['name']).toBe('New Orleans International');
    expect(after.has('N24')).toBe(true);
  });
});
