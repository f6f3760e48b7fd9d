// Uploaded files in libSQL: streamed in chunks, read back byte for byte, versioned per source, refused
// above the size limit without leaving anything behind, previewed, and invisible to other organisations.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileChunks, files } from '@/server/db/schema';
import { UserError } from '@/server/services/errors';
import {
  CHUNK_SIZE,
  latestFileOf,
  previewFile,
  readFileChunks,
  storeFile,
  type FileRow,
} from '@/server/services/files';
import { createSource } from '@/server/services/sources';
import { createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;
let outsider: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createOwner(db.db);
  outsider = await createOwner(db.db);
});
afterAll(() => db.close());

/** Feeds bytes in pieces of an awkward size, as a network upload would. */
function pieces(bytes: Uint8Array, size = 100_003): AsyncIterable<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

async function readAll(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts);
}

function generatedCsv(rows: number): Buffer {
  const lines = ['id,name,amount,note'];
  for (let i = 1; i <= rows; i++) lines.push(`r${i},"Name ${i}",${(i * 1.25).toFixed(2)},"note, ${i % 97}"`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function fileSource(orgId: string, name = 'Upload') {
  return createSource(db.db, orgId, { name, type: 'file', config: { format: 'csv' } });
}

async function store(
  orgId: string,
  sourceId: string | null,
  name: string,
  bytes: Uint8Array,
  type = 'text/csv',
) {
  return storeFile(db.db, {
    orgId,
    sourceId,
    name,
    contentType: type,
    uploadedBy: null,
    body: pieces(bytes),
  });
}

async function chunkCount(fileId: string): Promise<number> {
  const [row] = await db.db.select({ n: count() }).from(fileChunks).where(eq(fileChunks.fileId, fileId));
  return row?.n ?? 0;
}

describe('storing files', () => {
  const csv = generatedCsv(80_000); // about 3 MB
  let stored: FileRow;

  beforeAll(async () => {
    const source = await fileSource(owner.org.id);
    stored = await store(owner.org.id, source.id, 'big.csv', csv);
  });

  it('streams a multi-megabyte upload into chunks and records its size and SHA-256', async () => {
    expect(csv.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(stored).toMatchObject({ size: csv.length, sha256: sha256(csv), version: 1, name: 'big.csv' });
    const chunks = await chunkCount(stored.id);
    expect(chunks).toBeGreaterThan(1);
    expect(chunks).toBe(Math.ceil(csv.length / CHUNK_SIZE));
  });

  it('reads the body back byte for byte, chunk by chunk, also from a byte offset', async () => {
    const parts: Uint8Array[] = [];
    for await (const part of readFileChunks(db.db, owner.org.id, stored.id)) parts.push(part);
    expect(parts.length).toBeGreaterThan(1);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThanOrEqual(CHUNK_SIZE);
    expect(Buffer.concat(parts).equals(csv)).toBe(true);

    const offset = CHUNK_SIZE + 17;
    const rest = await readAll(readFileChunks(db.db, owner.org.id, stored.id, offset));
    expect(rest.equals(csv.subarray(offset))).toBe(true);
    expect((await readAll(readFileChunks(db.db, owner.org.id, stored.id, csv.length))).length).toBe(0);
  });

  it('gives a new upload for the same source the next version and keeps the older one readable', async () => {
    const source = await fileSource(owner.org.id, 'Versioned');
    const first = await store(owner.org.id, source.id, 'v1.csv', Buffer.from('id\na\n'));
    const second = await store(owner.org.id, source.id, 'v2.csv', Buffer.from('id\na\nb\n'));
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.sourceId).toBe(source.id);
    expect((await latestFileOf(db.db, owner.org.id, source.id))?.id).toBe(second.id);
    expect((await readAll(readFileChunks(db.db, owner.org.id, first.id))).toString()).toBe('id\na\n');

    const loose = await store(owner.org.id, null, 'loose.csv', Buffer.from('id\n'));
    expect(loose.version).toBe(1);
  });

  it('stores an empty file without chunks', async () => {
    const empty = await store(owner.org.id, null, 'empty.csv', new Uint8Array(0));
    expect(empty).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) });
    expect(await chunkCount(empty.id)).toBe(0);
    expect((await readAll(readFileChunks(db.db, owner.org.id, empty.id))).length).toBe(0);
  });

  it('refuses an upload over the size limit while it streams and leaves nothing behind', async () => {
    const source = await fileSource(owner.org.id, 'Too big');
    const before = await db.db.select({ n: count() }).from(fileChunks);
    const upload = storeFile(db.db, {
      orgId: owner.org.id,
      sourceId: source.id,
      name: 'huge.csv',
      contentType: 'text/csv',
      uploadedBy: owner.user.id,
      body: pieces(generatedCsv(40_000)),
      maxBytes: 1024 * 1024,
    });
    await expect(upload).rejects.toThrow(/larger than the upload limit of 1 MiB/);
    await expect(upload).rejects.toBeInstanceOf(UserError);
    expect(await db.db.select().from(files).where(eq(files.sourceId, source.id))).toEqual([]);
    expect(await db.db.select({ n: count() }).from(fileChunks)).toEqual(before);
    expect(await latestFileOf(db.db, owner.org.id, source.id)).toBeUndefined();
  });

  it('cleans up when the upload itself fails midway', async () => {
    const source = await fileSource(owner.org.id, 'Broken upload');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(CHUNK_SIZE * 5);
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('connection reset');
    }
    await expect(
      storeFile(db.db, {
        orgId: owner.org.id,
        sourceId: source.id,
        name: 'cut.csv',
        contentType: 'text/csv',
        uploadedBy: null,
        body: failing(),
      }),
    ).rejects.toThrow('connection reset');
    expect(await db.db.select().from(files).where(eq(files.sourceId, source.id))).toEqual([]);
  });
});

describe('organisation scoping', () => {
  it("does not let another organisation read, find or upload to a file source's files", async () => {
    const source = await fileSource(owner.org.id, 'Private');
    const file = await store(owner.org.id, source.id, 'private.csv', Buffer.from('id\nsecret\n'));

    await expect(readAll(readFileChunks(db.db, outsider.org.id, file.id))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await latestFileOf(db.db, outsider.org.id, source.id)).toBeUndefined();
    await expect(previewFile(db.db, outsider.org.id, file.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store(outsider.org.id, source.id, 'sneaky.csv', Buffer.from('id\n'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('only accepts uploads for file sources', async () => {
    const rest = await createSource(db.db, owner.org.id, {
      name: 'An API',
      type: 'rest',
      config: { baseUrl: 'https://api.example.test' },
    });
    await expect(store(owner.org.id, rest.id, 'x.csv', Buffer.from('id\n'))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('previews', () => {
  const fixture = (name: string) => readFileSync(`test/fixtures/files/${name}`);

  it('shows the dialect, header and first rows of a CSV file', async () => {
    const file = await store(owner.org.id, null, 'products.csv', fixture('products.csv'));
    const preview = await previewFile(db.db, owner.org.id, file.id, { rows: 2 });
    expect(preview).toMatchObject({
      format: 'csv',
      ok: true,
      dialect: { delimiter: ',', quote: '"', encoding: 'utf-8' },
      header: ['id', 'name', 'price', 'updated_at'],
      rows: [
        { id: 'p1', name: 'Kettle' },
        { id: 'p2', name: 'Toaster, 2 slots' },
      ],
    });
  });

  it('detects a Windows-1252 semicolon file and accepts changed settings', async () => {
    const file = await store(owner.org.id, null, 'excel.csv', fixture('products-windows-1252.csv'));
    const detected = await previewFile(db.db, owner.org.id, file.id);
    expect(detected).toMatchObject({ ok: true, dialect: { delimiter: ';', encoding: 'windows-1252' } });
    expect(detected.ok && 'header' in detected && detected.rows[0]).toMatchObject({ naam: 'Café crème' });
    const forced = await previewFile(db.db, owner.org.id, file.id, { delimiter: ',' });
    expect(forced.ok && 'header' in forced && forced.header).toEqual(['id;naam;prijs']);
  });

  it('names the line of a malformed CSV file', async () => {
    const file = await store(owner.org.id, null, 'broken.csv', Buffer.from('id,name\n1,"open\n'));
    const preview = await previewFile(db.db, owner.org.id, file.id);
    expect(preview).toMatchObject({ format: 'csv', ok: false });
    expect(!preview.ok && preview.reason).toMatch(/line 2/);
  });

  it('shows the first records of JSON and XML files with their fields', async () => {
    const json = await store(
      owner.org.id,
      null,
      'items.jsonl',
      fixture('items.jsonl'),
      'application/octet-stream',
    );
    expect(await previewFile(db.db, owner.org.id, json.id, { rows: 2 })).toEqual({
      format: 'json',
      ok: true,
      fields: ['id', 'name'],
      rows: [
        { id: 1, name: 'Kettle' },
        { id: 2, name: 'Toaster' },
      ],
    });
    const xml = await store(owner.org.id, null, 'catalog', fixture('catalog.xml'), 'application/xml');
    const preview = await previewFile(db.db, owner.org.id, xml.id);
    expect(preview).toMatchObject({ format: 'xml', ok: true });
    expect(preview.ok && 'fields' in preview && preview.rows.length).toBe(3);
    expect(preview.ok && 'fields' in preview && preview.fields).toContain('dc:title');
  });
});
