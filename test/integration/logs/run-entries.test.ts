// A run's entries as its page, the API and the download read them (services/run-entries.ts, run-log.ts):
// only the run's, in the order the run wrote them, while another run of the organisation wrote its own
// in between; paged, filtered by action, error group, reason and text; read whole past a thousand; and
// grouped with each group's first examples.
import type { InStatement } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRunEntries } from '@/server/services/run-export';
import { allRunEntries, listRunEntries } from '@/server/services/run-entries';
import { runEntryGroups } from '@/server/services/run-log';
import type { RunEntry } from '@/server/sync/ports';
import { batchLogStatements } from '@/server/sync/stores/run-page-log';
import { openStoreFixture } from '../helpers/contract-store-fixture';
import type { TestDatabase } from '../helpers/database';

let db: TestDatabase;
let orgId: string;
let otherOrgId: string;
let runA: string;
let runB: string;
let newSync: () => ReturnType<Awaited<ReturnType<typeof openStoreFixture>>['orgA']['sync']>;

// Run A's entries, as its pages wrote them: 2,400 over 24 pages, between which run B wrote pages too.
const A_PAGES = 24;
const entryOf = (k: number): RunEntry => ({
  originId: `a-${k}`,
  action: k % 50 === 7 ? 'failed' : 'invalid',
  reason:
    k % 50 === 7
      ? 'The target answered 503.'
      : k % 3 === 0
        ? 'age: must be a number'
        : 'name: must be a string',
});
const A_ENTRIES = Array.from({ length: A_PAGES * 100 }, (_, k) => entryOf(k));

async function writePage(orgOf: string, runId: string, page: number, entries: RunEntry[]) {
  const statements: InStatement[] = batchLogStatements({
    orgId: orgOf,
    runId,
    batchKey: `page-${page}`,
    entries,
    timeline: [],
  });
  await db.client.batch(statements, 'write');
}

beforeAll(async () => {
  const fixture = await openStoreFixture();
  db = fixture.db;
  orgId = fixture.orgA.orgId;
  otherOrgId = fixture.orgB.orgId;
  newSync = () => fixture.orgA.sync();
  const a = await fixture.orgA.sync();
  const b = await fixture.orgA.sync();
  runA = await a.newRun();
  runB = await b.newRun();
  // Run B starts first: run A's first entry is not the table's first.
  await writePage(orgId, runB, 1, [
    { originId: 'b-first', action: 'invalid', reason: 'name: must be a string' },
  ]);
  for (let page = 1; page <= A_PAGES; page++) {
    await writePage(orgId, runA, page, A_ENTRIES.slice((page - 1) * 100, page * 100));
    await writePage(orgId, runB, page + 1, [
      { originId: `b-${page}`, action: 'invalid', reason: 'name: must be a string' },
    ]);
  }
  // Page 3 of run A written again (a retried step): its entries replaced, now after the others.
  await writePage(orgId, runA, 3, A_ENTRIES.slice(200, 300));
});
afterAll(() => db.close());

const written = [...A_ENTRIES.slice(0, 200), ...A_ENTRIES.slice(300), ...A_ENTRIES.slice(200, 300)];
const ids = (rows: { originId: string | null }[]) => rows.map((r) => r.originId);

describe("a run's entries", () => {
  it('are the run’s own, in the order written, page by page, with their number', async () => {
    const pages = [];
    for (let page = 1; page <= 25; page++)
      pages.push(await listRunEntries(db.db, orgId, runA, { page, pageSize: 100 }));
    expect(pages.every((p) => p.total === 2_400)).toBe(true);
    expect(pages.flatMap((p) => ids(p.rows))).toEqual(ids(written));
    expect(pages.at(-1)!.rows).toEqual([]);
  });

  it('are filtered by action, error group, reason alone and text', async () => {
    const failed = written.filter((e) => e.action === 'failed');
    const byAction = await listRunEntries(db.db, orgId, runA, { page: 1, pageSize: 500, action: 'failed' });
    expect(byAction).toMatchObject({ total: failed.length });
    expect(ids(byAction.rows)).toEqual(ids(failed));

    const ages = written.filter((e) => e.action === 'invalid' && e.reason === 'age: must be a number');
    const group = await listRunEntries(db.db, orgId, runA, {
      page: 2,
      pageSize: 100,
      action: 'invalid',
      reason: 'age: must be a number',
    });
    expect(group.total).toBe(ages.length);
    expect(ids(group.rows)).toEqual(ids(ages.slice(100, 200)));
    const reasonAlone = await listRunEntries(db.db, orgId, runA, {
      page: 2,
      pageSize: 100,
      reason: 'age: must be a number',
    });
    expect(ids(reasonAlone.rows)).toEqual(ids(group.rows));

    const searched = await listRunEntries(db.db, orgId, runA, { page: 1, pageSize: 50, search: 'a-12' });
    const matching = written.filter((e) => e.originId!.includes('a-12'));
    expect(searched.total).toBe(matching.length);
    expect(ids(searched.rows)).toEqual(ids(matching.slice(0, 50)));
    expect(await listRunEntries(db.db, orgId, runA, { page: 1, pageSize: 50, search: 'b-' })).toMatchObject({
      total: 0,
      rows: [],
    });
  });

  it('are read whole past a thousand, and downloaded, only the run’s', async () => {
    const all = [];
    for await (const entry of allRunEntries(db.db, orgId, runA, {})) all.push(entry);
    expect(ids(all)).toEqual(ids(written));
    const names = [];
    for await (const entry of allRunEntries(db.db, orgId, runA, {
      action: 'invalid',
      reason: 'name: must be a string',
    }))
      names.push(entry);
    expect(ids(names)).toEqual(ids(written.filter((e) => e.reason === 'name: must be a string')));
    const { body } = await exportRunEntries(db.db, orgId, runA, 'ndjson', {});
    const text = await new Response(body).text();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { originId: string });
    expect(lines.map((l) => l.originId)).toEqual(ids(written));
  });

  it('are grouped by action and reason, largest first, with the first ones written as examples', async () => {
    const { groups } = await runEntryGroups(db.db, orgId, runA);
    expect(groups.map((g) => [g.action, g.reason, g.count])).toEqual([
      [
        'invalid',
        'name: must be a string',
        written.filter((e) => e.reason === 'name: must be a string').length,
      ],
      [
        'invalid',
        'age: must be a number',
        written.filter((e) => e.reason === 'age: must be a number').length,
      ],
      ['failed', 'The target answered 503.', written.filter((e) => e.action === 'failed').length],
    ]);
    expect(groups[0]!.examples.map((e) => e.originId)).toEqual(['a-1', 'a-2', 'a-4', 'a-5', 'a-8']);
    expect(groups[2]!.examples.map((e) => e.originId)).toEqual(['a-7', 'a-57', 'a-107', 'a-157', 'a-307']);
  });

  it('of a small run end at its last entry, whatever the other runs wrote after it', async () => {
    // Run B's entries: one at the table's start, then one after each of A's pages, 25 in all.
    const b = await listRunEntries(db.db, orgId, runB, { page: 1, pageSize: 100 });
    expect(ids(b.rows)).toEqual(['b-first', ...Array.from({ length: A_PAGES }, (_, i) => `b-${i + 1}`)]);
    expect(b.total).toBe(25);
  });

  it('are grouped apart when one has no reason and another an empty one', async () => {
    const run = await (await newSync()).newRun();
    await writePage(orgId, run, 1, [
      { originId: 'x-1', action: 'failed', reason: null },
      { originId: 'x-2', action: 'failed', reason: '' },
      { originId: 'x-3', action: 'failed', reason: null },
    ]);
    const { groups } = await runEntryGroups(db.db, orgId, run);
    expect(groups.map((g) => [g.reason, g.count, g.examples.map((e) => e.originId)])).toEqual([
      [null, 2, ['x-1', 'x-3']],
      ['', 1, ['x-2']],
    ]);
  });

  it('are not another organisation’s to read', async () => {
    await expect(listRunEntries(db.db, otherOrgId, runA, { page: 1, pageSize: 10 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(runEntryGroups(db.db, otherOrgId, runA)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(exportRunEntries(db.db, otherOrgId, runA, 'csv', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(allRunEntries(db.db, otherOrgId, runA, {}).next()).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
