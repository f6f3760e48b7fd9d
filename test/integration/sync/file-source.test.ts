// The file source over stored uploads: pages of records, complete when the whole file was read; rows it
// could not read ride on their page as unreadable and are named at the listing's end (nothing deleted);
// broken and missing files end the listing incomplete (nothing deleted).
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingOutcome, UnreadableRecord } from '@/server/sync/core/pagination/types';
import { describeListingProblem } from '@/server/sync/core/pagination/problems';
import type { SourcePort } from '@/server/sync/ports';
import { createFileSource, type FileCursor, type FileSourceOptions } from '@/server/sync/sources/file';
import { closeParkedReaders } from '@/server/sync/sources/file-parking';
import { deleteFile, storeFile } from '@/server/services/files';
import { createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;
let outsider: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createOwner(db.db);
  outsider = await createOwner(db.db);
});
afterAll(() => db.close());

async function upload(body: string | Buffer, name = 'upload', orgId = owner.org.id): Promise<string> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const pieces = () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7_001) parts.push(bytes.subarray(i, i + 7_001));
    return Readable.from(parts);
  };
  const file = await storeFile(db.db, {
    orgId,
    sourceId: null,
    name,
    contentType: '',
    uploadedBy: null,
    body: pieces(),
  });
  return file.id;
}

const fixture = (name: string) => readFileSync(`test/fixtures/files/${name}`);

function source(fileId: string, options: Partial<FileSourceOptions> = {}): SourcePort<FileCursor> {
  return createFileSource({
    db: db.db,
    orgId: owner.org.id,
    systemId: 'src_test',
    format: 'csv',
    fileId,
    ...options,
  });
}

interface Listed {
  pages: { number: number; objects: unknown[]; unreadable?: readonly UnreadableRecord[] }[];
  cursors: FileCursor[];
  outcome: ListingOutcome;
}

/** Reads the listing as the engine does: one page per step, each step resuming from the last cursor. */
async function listByStep(
  port: SourcePort<FileCursor>,
  from: FileCursor | null = null,
  between?: () => void,
) {
  const listed: Listed = { pages: [], cursors: [], outcome: { complete: true, pages: 0 } };
  let cursor = from;
  for (let step = 0; step < 10_000; step++) {
    const pages = port.pages(cursor);
    const first = await pages.next();
    await pages.return(undefined as never);
    if (first.done) {
      listed.outcome = first.value;
      return listed;
    }
    const { number, objects, unreadable } = first.value;
    listed.pages.push({ number, objects: [...objects], ...(unreadable ? { unreadable } : {}) });
    if (first.value.then.kind === 'end') {
      listed.outcome = first.value.then.outcome;
      return listed;
    }
    cursor = first.value.then.cursor;
    listed.cursors.push(cursor);
    between?.();
  }
  throw new Error('the listing did not end');
}

/** Reads the listing from one generator to its end. */
async function listAtOnce(port: SourcePort<FileCursor>): Promise<Listed> {
  const listed: Listed = { pages: [], cursors: [], outcome: { complete: true, pages: 0 } };
  const pages = port.pages(null);
  for (;;) {
    const next = await pages.next();
    if (next.done) {
      listed.outcome = next.value;
      return listed;
    }
    listed.pages.push({ number: next.value.number, objects: [...next.value.objects] });
  }
}

function csvRows(count: number): string {
  const lines = ['id,name'];
  for (let i = 1; i <= count; i++) lines.push(`r${i},"Name ${i}"`);
  return `${lines.join('\n')}\n`;
}

const ids = (listed: Listed) => listed.pages.flatMap((p) => p.objects.map((o) => (o as { id: unknown }).id));
const message = (outcome: ListingOutcome) =>
  outcome.complete ? '' : describeListingProblem(outcome.problem);

describe('CSV files', () => {
  it('lists pages of pageSize records with the rows as objects and ends complete', async () => {
    const fileId = await upload(csvRows(25));
    const listed = await listByStep(source(fileId, { pageSize: 10 }));
    expect(listed.pages.map((p) => [p.number, p.objects.length])).toEqual([
      [1, 10],
      [2, 10],
      [3, 5],
    ]);
    expect(listed.pages[0]?.objects[0]).toEqual({ id: 'r1', name: 'Name 1' });
    expect(ids(listed)).toEqual(Array.from({ length: 25 }, (_, i) => `r${i + 1}`));
    expect(listed.cursors).toEqual([
      { fileId, recordsRead: 10 },
      { fileId, recordsRead: 20 },
    ]);
    expect(listed.outcome).toEqual({ complete: true, pages: 3 });
    expect(await listAtOnce(source(fileId, { pageSize: 10 }))).toMatchObject({
      pages: listed.pages,
      outcome: listed.outcome,
    });
  });

  it('reads quoted commas, quotes and line breaks from the fixture', async () => {
    const listed = await listByStep(source(await upload(fixture('products.csv'))));
    expect(listed.outcome).toEqual({ complete: true, pages: 1 });
    expect(listed.pages[0]?.objects).toHaveLength(4);
    expect(listed.pages[0]?.objects[3]).toMatchObject({ id: 'p4', name: 'Tea towel\n(two lines)' });
  });

  it('uses the configured delimiter and encoding', async () => {
    const fileId = await upload(fixture('products-windows-1252.csv'));
    const listed = await listByStep(source(fileId, { csv: { delimiter: ';', encoding: 'windows-1252' } }));
    expect(listed.pages[0]?.objects[0]).toEqual({ id: 'p1', naam: 'Café crème', prijs: '€5,00' });
    expect(listed.outcome.complete).toBe(true);
  });

  it('lists an exact multiple of the page size without an empty page, and a header-only file as empty', async () => {
    const exact = await listByStep(source(await upload(csvRows(20)), { pageSize: 10 }));
    expect(exact.pages.map((p) => p.objects.length)).toEqual([10, 10]);
    expect(exact.outcome).toEqual({ complete: true, pages: 2 });
    const headerOnly = await listByStep(source(await upload('id,name\n')));
    expect(headerOnly.pages).toEqual([{ number: 1, objects: [] }]);
    expect(headerOnly.outcome).toEqual({ complete: true, pages: 1 });
  });

  it('ends incomplete at an unclosed quote, naming the line, after the good rows before it', async () => {
    const listed = await listByStep(source(await upload(fixture('broken-quote.csv')), { pageSize: 2 }));
    expect(ids(listed)).toEqual(['c1', 'c2', 'c3']);
    expect(listed.outcome.complete).toBe(false);
    expect(listed.outcome).toMatchObject({ problem: { kind: 'results', problem: 'not-structured' } });
    expect(message(listed.outcome)).toMatch(/line 5/);
  });

  it('hands rows with the wrong number of fields out as unreadable on their page, read to the end', async () => {
    const listed = await listByStep(source(await upload(fixture('wrong-columns.csv'))));
    expect(ids(listed)).toEqual(['c1', 'c3', 'c5']);
    const bad = [
      { line: 3, reason: 'it has 2 fields but the header has 3' },
      { line: 5, reason: 'it has 4 fields but the header has 3' },
    ];
    expect(listed.pages[0]!.unreadable).toEqual(bad);
    // Complete (every page read), with the unreadable lines named: deletions.ts deletes nothing by it.
    expect(listed.outcome).toEqual({ complete: true, pages: 1, unreadable: { count: 2, samples: bad } });
  });

  it('hands each unreadable row out once, on the page it falls in, also when the reader is reopened', async () => {
    // Records a b | c d | e, with bad rows after b (line 4), after d (line 7) and after e (line 9).
    const text = 'id,name\na,1\nb,2\nx\nc,3\nd,4\ny\ne,5\nz\n';
    const fileId = await upload(text);
    for (const between of [undefined, closeParkedReaders]) {
      const listed = await listByStep(source(fileId, { pageSize: 2 }), null, between);
      expect(ids(listed)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(listed.pages.map((p) => (p.unreadable ?? []).map((u) => u.line))).toEqual([[], [4], [7, 9]]);
      expect(listed.outcome).toMatchObject({ complete: true, pages: 3, unreadable: { count: 3 } });
    }
  });
});

describe('JSON and XML files', () => {
  it('lists a JSON array and JSON Lines', async () => {
    const array = await listByStep(
      source(await upload(fixture('items.json')), { format: 'json', pageSize: 2 }),
    );
    expect(ids(array)).toEqual([1, 2, 3]);
    expect(array.pages.map((p) => p.number)).toEqual([1, 2]);
    expect(array.outcome).toEqual({ complete: true, pages: 2 });
    const lines = await listByStep(source(await upload(fixture('items.jsonl')), { format: 'json' }));
    expect(lines.pages[0]?.objects).toEqual([
      { id: 1, name: 'Kettle' },
      { id: 2, name: 'Toaster' },
      { id: 3, name: 'Mug' },
    ]);
    expect(lines.outcome.complete).toBe(true);
  });

  it('finds the records of a wrapped JSON file at resultsPosition, or by itself under a usual key', async () => {
    const fileId = await upload(fixture('wrapped.json'));
    const atPath = await listByStep(source(fileId, { format: 'json', resultsPosition: 'data.items' }));
    expect(atPath.pages[0]?.objects.map((o) => (o as { sku: string }).sku)).toEqual(['A-1', 'A-2', 'A-3']);
    expect(atPath.outcome.complete).toBe(true);

    const whole = await listByStep(source(fileId, { format: 'json', resultsPosition: '_object' }));
    expect(whole.pages[0]?.objects).toHaveLength(1);

    const missing = await listByStep(source(fileId, { format: 'json', resultsPosition: 'data.rows' }));
    expect(missing.outcome).toMatchObject({
      complete: false,
      problem: { kind: 'results', problem: 'missing-path' },
    });
    expect(missing.pages).toEqual([]);

    const auto = await listByStep(
      source(await upload('{"items":[{"id":"a"},{"id":"b"}]}'), { format: 'json' }),
    );
    expect(ids(auto)).toEqual(['a', 'b']);
  });

  it('ends incomplete on a JSON document cut short', async () => {
    const listed = await listByStep(source(await upload('[{"id":1},{"id":2},{"id":'), { format: 'json' }));
    expect(ids(listed)).toEqual([1, 2]);
    expect(listed.outcome).toMatchObject({ complete: false, problem: { kind: 'results' } });
  });

  it('lists XML records at resultsPosition, detected, or the root element as one record', async () => {
    const fileId = await upload(fixture('catalog.xml'));
    const atPath = await listByStep(
      source(fileId, { format: 'xml', resultsPosition: 'catalog.book', pageSize: 2 }),
    );
    expect(atPath.pages.map((p) => p.objects.length)).toEqual([2, 1]);
    expect(atPath.pages[0]?.objects[0]).toMatchObject({
      '@attributes': { id: 'bk101', available: 'true' },
      'dc:title': "XML Developer's Guide",
    });
    expect(atPath.outcome).toEqual({ complete: true, pages: 2 });

    const detected = await listByStep(source(fileId, { format: 'xml' }));
    expect(detected.pages[0]?.objects).toHaveLength(3);

    const root = await listByStep(source(fileId, { format: 'xml', resultsPosition: '_object' }));
    expect(root.pages[0]?.objects).toHaveLength(1);
    expect(root.pages[0]?.objects[0]).toMatchObject({ '@attributes': { updated: '2024-05-01' } });

    const missing = await listByStep(source(fileId, { format: 'xml', resultsPosition: 'catalog.magazine' }));
    expect(missing.outcome).toMatchObject({ complete: false, problem: { problem: 'missing-path' } });
  });

  it('ends incomplete on invalid XML, naming the line', async () => {
    const listed = await listByStep(
      source(await upload('<items>\n<item>1</item>\n<item>2</items>'), { format: 'xml' }),
    );
    expect(listed.pages).toEqual([]);
    expect(message(listed.outcome)).toMatch(/line 3/);
  });
});

describe('resuming and failures', () => {
  it('resumes from a cursor with the same records and page numbers, with or without the open reader', async () => {
    const fileId = await upload(csvRows(95));
    const whole = await listByStep(source(fileId, { pageSize: 10 }));
    // Every step re-reads the file and skips (as in another process): same pages, same outcome.
    const reread = await listByStep(source(fileId, { pageSize: 10 }), null, closeParkedReaders);
    expect(reread.pages).toEqual(whole.pages);
    expect(reread.outcome).toEqual({ complete: true, pages: 10 });

    const resumed = await listByStep(source(fileId, { pageSize: 10 }), { fileId, recordsRead: 40 });
    expect(resumed.pages.map((p) => p.number)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(ids(resumed)[0]).toBe('r41');
    expect(resumed.outcome).toEqual({ complete: true, pages: 10 });
  });

  it('continues with the open reader between steps, and never takes a file deleted mid-run as complete', async () => {
    // Large enough that the first page leaves most of the file unread (several MiB of chunks).
    const fileId = await upload(csvRows(400_000));
    const port = source(fileId, { pageSize: 1000 });
    const first = port.pages(null);
    const page = await first.next();
    await first.return(undefined as never);
    expect(!page.done && page.value.then.kind).toBe('next');
    const cursor = !page.done && page.value.then.kind === 'next' ? page.value.then.cursor : null;

    await deleteFile(db.db, owner.org.id, fileId);
    // The parked reader goes on reading chunks until they run out: the listing ends incomplete.
    const rest = await listByStep(port, cursor);
    expect(rest.outcome.complete).toBe(false);
    expect(message(rest.outcome)).toMatch(/deleted or damaged while being read/);
    // Re-opened (another process), the file is simply not there.
    const reopened = await listByStep(port, cursor, closeParkedReaders);
    expect(message(reopened.outcome)).toMatch(/not found/);
  });

  it('still names rows left out before the resume point at the end, without handing them out again', async () => {
    const fileId = await upload('id,name\na,1\nb\nc,3\nd,4\ne,5\n');
    const resumed = await listByStep(source(fileId, { pageSize: 2 }), { fileId, recordsRead: 2 });
    expect(ids(resumed)).toEqual(['d', 'e']);
    expect(resumed.pages.flatMap((p) => p.unreadable ?? [])).toEqual([]);
    expect(resumed.outcome).toMatchObject({
      complete: true,
      unreadable: { count: 1, samples: [{ line: 3, reason: 'it has 1 field but the header has 2' }] },
    });
  });

  it('ends with an error outcome, not a throw, for a missing file or one of another organisation', async () => {
    const missing = await listByStep(source('fil_doesnotexist'));
    expect(missing).toMatchObject({
      pages: [],
      outcome: { complete: false, pages: 0, problem: { kind: 'transport' } },
    });
    expect(message(missing.outcome)).toMatch(/not found/);

    const theirs = await upload(csvRows(3), 'theirs.csv', outsider.org.id);
    const foreign = await listByStep(source(theirs));
    expect(foreign.pages).toEqual([]);
    expect(foreign.outcome).toMatchObject({ complete: false, problem: { kind: 'transport' } });
  });

  it('ends incomplete for an empty file and for a cursor of another file', async () => {
    const empty = await listByStep(source(await upload('')));
    expect(empty.outcome).toMatchObject({
      complete: false,
      problem: { kind: 'results', problem: 'empty-body' },
    });

    const fileId = await upload(csvRows(3));
    const stale = await listByStep(source(fileId), { fileId: 'fil_previous', recordsRead: 1000 });
    expect(stale.outcome).toMatchObject({ complete: false, problem: { kind: 'transport' } });
  });

  it('ends incomplete when the cursor is beyond the end of the file', async () => {
    const fileId = await upload(csvRows(3));
    const listed = await listByStep(source(fileId, { pageSize: 2 }), { fileId, recordsRead: 10 });
    expect(listed.pages).toEqual([]);
    expect(listed.outcome.complete).toBe(false);
  });
});
