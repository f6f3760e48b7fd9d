// Reading uploaded file bodies back out of `file_chunks`, a few chunks per query, always through the
// organisation's file row — so another organisation's file, or one still being uploaded, reads as absent.
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { fileChunks, files } from '../db/schema';
import { notFound } from './errors';

export type FileRow = typeof files.$inferSelect;

/** Bodies are cut into chunks of this size (the last one shorter); 256 KiB keeps rows well below limits. */
export const CHUNK_SIZE = 256 * 1024;
/** Chunks read per query: few round trips, and never more than about 1 MiB in hand. */
const CHUNKS_PER_QUERY = 4;
/** A file row with this version is an upload in progress (or abandoned): it has no complete body yet. */
export const PENDING_VERSION = 0;

/** The organisation's finished file with this id, or undefined. */
export async function findFile(db: Db, orgId: string, fileId: string): Promise<FileRow | undefined> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.orgId, orgId), eq(files.id, fileId), gte(files.version, 1)))
    .limit(1);
  return row;
}

/** The body of a file, chunk by chunk, from `fromByte` on. A missing file is a NOT_FOUND UserError. */
export async function* readFileChunks(
  db: Db,
  orgId: string,
  fileId: string,
  fromByte = 0,
): AsyncGenerator<Uint8Array> {
  const file = await findFile(db, orgId, fileId);
  if (!file) throw notFound('The file');
  yield* streamChunks(db, file, fromByte);
}

/**
 * Streams the body of an already loaded file row. It checks that the chunks add up to the recorded
 * size: a file deleted or damaged while it is read must fail loudly, not look like a shorter file.
 */
export async function* streamChunks(db: Db, file: FileRow, fromByte = 0): AsyncGenerator<Uint8Array> {
  const start = Math.max(0, Math.floor(fromByte));
  if (start >= file.size) return;
  // Every chunk but the last has the size of the first, so the chunk holding `start` can be computed.
  const chunkSize = await firstChunkSize(db, file);
  let seq = Math.floor(start / chunkSize);
  let skip = start - seq * chunkSize;
  let delivered = seq * chunkSize;
  while (delivered < file.size) {
    const rows = await db
      .select({ seq: fileChunks.seq, data: fileChunks.data })
      .from(fileChunks)
      .innerJoin(files, eq(files.id, fileChunks.fileId))
      .where(and(eq(files.orgId, file.orgId), eq(fileChunks.fileId, file.id), gte(fileChunks.seq, seq)))
      .orderBy(asc(fileChunks.seq))
      .limit(CHUNKS_PER_QUERY);
    if (rows.length === 0) throw damaged(file, delivered);
    for (const row of rows) {
      if (row.seq !== seq) throw damaged(file, delivered);
      const data = toBytes(row.data);
      delivered += data.length;
      seq++;
      const piece = skip > 0 ? data.subarray(skip) : data;
      skip = 0;
      if (piece.length > 0) yield piece;
    }
  }
  if (delivered !== file.size) throw damaged(file, delivered);
}

async function firstChunkSize(db: Db, file: FileRow): Promise<number> {
  const [row] = await db
    .select({ size: sql<number>`length(${fileChunks.data})` })
    .from(fileChunks)
    .innerJoin(files, eq(files.id, fileChunks.fileId))
    .where(and(eq(files.orgId, file.orgId), eq(fileChunks.fileId, file.id), eq(fileChunks.seq, 0)));
  if (!row || !(Number(row.size) > 0)) throw damaged(file, 0);
  return Number(row.size);
}

function damaged(file: FileRow, at: number): Error {
  return new Error(
    `The stored file "${file.name}" ends after ${at} of its ${file.size} bytes: it was deleted or damaged while being read.`,
  );
}

// drizzle hands blobs back as Buffers; a driver may give an ArrayBuffer instead.
function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new Error('A file chunk is not binary data');
}
