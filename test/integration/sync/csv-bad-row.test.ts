// A CSV file source with a malformed line (6 fields where the header has 5), a duplicate id and a blank
// id, synchronised into a register through the API, as a user trial found it: the run is a warning (7
// good rows got through), the malformed line is an object that needs attention named by its file line
// with the parser's reason, the file was read to its end but deletions are not carried out (said once),
// and the next run of a clean file deletes what left it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fileToRegister, liveObjects, runAndWait, uploadVersion } from '../helpers/sync-more';

const WELL_SCHEMA = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    field: { type: 'string' },
    depth: { type: 'string' },
    status: { type: 'string' },
  },
};
const WELL_MAPPING = {
  mapping: { id: 'id', name: 'name', field: 'field', depth: 'depth', status: 'status' },
};

const HEADER = 'id,name,field,depth,status';
const row = (id: string) => `${id},Well ${id},North,1200,active`;

/** wells.csv of the trial: 10 data rows; line 9 (W8) has 6 fields, line 6 repeats W2, line 7 has no id. */
const WELLS = [
  HEADER,
  row('W1'),
  row('W2'),
  row('W3'),
  row('W4'),
  `W2,Well W2 again,North,1300,active`,
  `,Well without id,North,900,active`,
  row('W5'),
  `W8,Well W8,North,1500,active,extra`,
  row('W6'),
  row('W7'),
  '',
].join('\n');
const MALFORMED_LINE = 9;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

async function setup() {
  return fileToRegister(db.db, {
    format: 'csv',
    jsonSchema: WELL_SCHEMA,
    mapping: WELL_MAPPING,
    sourceIdField: 'id',
  });
}
type Setup = Awaited<ReturnType<typeof setup>>;

async function entriesOf(s: Setup, runId: string) {
  const page = await s.api.runs.entries({ orgId: s.orgId, runId, page: 1, pageSize: 100 });
  return page.rows.map((r) => ({ originId: r.originId, action: r.action, reason: r.reason }));
}
async function ids(s: Setup) {
  return (await liveObjects(db.db, s.schema.id)).map((o) => String(o.data['id'])).sort();
}

const LINE_ENTRY = {
  originId: null,
  action: 'invalid',
  reason: `Line ${MALFORMED_LINE} of the file could not be read: it has 6 fields but the header has 5`,
};
const NO_DELETIONS =
  `Deletions were not carried out: line ${MALFORMED_LINE} could not be read, so Concord cannot tell ` +
  'which objects left the file.';

describe('a CSV file with a malformed line, a duplicate id and a blank id', () => {
  it('is a warning on the first run: 7 rows written, the three others each an entry that needs attention', async () => {
    const s = await setup();
    await uploadVersion(db.db, s, WELLS, 'wells.csv');
    const run = await runAndWait(s.api, s.orgId, s.sync.id);
    expect(run).toMatchObject({
      result: 'warning',
      found: 10,
      created: 7,
      invalid: 3,
      failed: 0,
      deleted: 0,
      // The file was read to its end, but a line of it could not be read: not complete for deletions.
      complete: true,
      unreadable: 1,
      pagesFetched: 1,
    });
    expect(run.message).toBe(
      'Created 7, updated 0, deleted 0, unchanged 0 of 10 objects. Partly synchronised: 3 invalid (refused ' +
        'by Concord before writing); each has its reason in the entries. ' +
        NO_DELETIONS,
    );
    expect(run.message).not.toMatch(/\.\./);
    expect(run.message?.match(/delet(ed|ions) (nothing|were not)|nothing (is|was) deleted/gi)).toHaveLength(
      1,
    );

    const entries = await entriesOf(s, run.id);
    expect(entries).toHaveLength(3);
    expect(entries).toContainEqual(LINE_ENTRY);
    expect(entries).toContainEqual({
      originId: 'W2',
      action: 'invalid',
      reason: expect.stringMatching(/^Duplicate id "W2"/),
    });
    expect(entries).toContainEqual({
      originId: null,
      action: 'invalid',
      reason: expect.stringMatching(/^The object at position 6 on page 1 has no usable id/),
    });
    expect(await ids(s)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7']);

    // The timeline: the file read to its end, and why nothing was deleted.
    const timeline = await s.api.runs.timeline({ orgId: s.orgId, runId: run.id, page: 1, pageSize: 50 });
    const details = timeline.rows.map((e) => e.detail ?? '');
    expect(details).toContain(
      `The file was read to its end (1 page), but line ${MALFORMED_LINE} could not be read.`,
    );
    expect(details.join(' ')).not.toMatch(/listing stopped/);

    // Not a failure: no "run failed" in the bell, and the synchronisation is not failing.
    const bell = await s.api.notifications.list({ orgId: s.orgId, unreadOnly: false, limit: 20 });
    expect(bell.map((n) => n.event)).not.toContain('run.failed');
    const overview = await s.api.overview.get({ orgId: s.orgId });
    const health = overview.synchronisations.find((x) => x.id === s.sync.id)?.health;
    expect(health).toEqual({ state: 'warning' });
  });

  it('deletes nothing that left such a file, and the next run of a clean file does', async () => {
    const s = await setup();
    // First a clean file with W1..W9: every well is an object.
    const clean = [HEADER, ...['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9'].map(row), ''].join('\n');
    await uploadVersion(db.db, s, clean, 'wells-1.csv');
    expect(await runAndWait(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 9 });

    // Then a file whose only fault is W8's line (line 9), and W9 gone from it: the line may be W9's.
    const onlyBad = [HEADER, ...['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7'].map(row)];
    const bad = [...onlyBad, `W8,Well W8,North,1500,active,extra`, ''].join('\n');
    await uploadVersion(db.db, s, bad, 'wells-2.csv');
    const run = await runAndWait(s.api, s.orgId, s.sync.id);
    expect(run).toMatchObject({
      result: 'warning',
      found: 8,
      skipped: 7,
      invalid: 1,
      deleted: 0,
      held: 0,
      complete: true,
      unreadable: 1,
    });
    expect(run.message).toBe(
      'Created 0, updated 0, deleted 0, unchanged 7 of 8 objects. Partly synchronised: 1 invalid (refused ' +
        'by Concord before writing); each has its reason in the entries. ' +
        NO_DELETIONS,
    );
    expect(await entriesOf(s, run.id)).toContainEqual(LINE_ENTRY);
    expect(await ids(s)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9']);
    // W9's contract page does not call that run a whole read of the source: the clean file's was the last.
    const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, search: 'W9' });
    const w9 = await s.api.contracts.detail({ orgId: s.orgId, contractId: rows[0]!.id });
    expect(w9.lastCompleteListing?.runId).not.toBe(run.id);
    expect(w9.lastCompleteListing).not.toBeNull();

    // A clean file without W9 (W8's line mended): complete, so W9 is deleted, as the deletion rules say.
    const mended = [HEADER, ...['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8'].map(row), ''].join('\n');
    await uploadVersion(db.db, s, mended, 'wells-3.csv');
    const next = await runAndWait(s.api, s.orgId, s.sync.id);
    expect(next).toMatchObject({ result: 'success', deleted: 1, complete: true, unreadable: 0 });
    expect(await ids(s)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8']);
  });
});
