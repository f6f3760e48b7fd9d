// Uploaded files (the bodies of file sources), stored in libSQL in chunks: every app instance reads the
// same bytes, and neither an upload nor a read ever holds a whole file in memory.
import { createHash } from 'node:crypto';
import { and, desc, eq, gte, inArray, lt, max } from 'drizzle-orm';
import type { Db } from '../db/client';
import { fileChunks, files, sources } from '../db/schema';
import { UserError, notFound } from './errors';
import { CHUNK_SIZE, PENDING_VERSION, type FileRow } from './files-chunks';

export { CHUNK_SIZE, findFile, readFileChunks, type FileRow } from './files-chunks';
export { previewFile, type FilePreview, type FilePreviewOptions } from './files-preview';

export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** Chunks written per insert: about 1 MiB in hand at a time. */
const CHUNKS_PER_WRITE = 4;

export interface StoreFileInput {
  orgId: string;
  sourceId: string | null;
  name: string;
  contentType: string;
  uploadedBy: string | null;
  body: AsyncIterable<Uint8Array>;
  /** Uploads larger than this are refused while they stream (default 200 MiB). */
  maxBytes?: number;
  /**
   * Runs on the complete body before it gets its version; throwing refuses the upload (nothing is kept,
   * and the source's current version stays the one synchronisations read).
   */
  check?: (file: FileRow) => Promise<void>;
}

/**
 * Streams an upload into chunks and records its size and SHA-256. While it streams the row is pending
 * (version 0, invisible to readers); it gets its version — the source's latest + 1 — only once complete.
 * A refused or failed upload leaves nothing behind.
 */
export async function storeFile(db: Db, input: StoreFileInput): Promise<FileRow> {
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (input.sourceId) await assertFileSource(db, input.orgId, input.sourceId);
  const [pending] = await db
    .insert(files)
    .values({
      orgId: input.orgId,
      sourceId: input.sourceId,
      name: input.name.trim() || 'upload',
      contentType: input.contentType.trim() || 'application/octet-stream',
      size: 0,
      sha256: '',
      version: PENDING_VERSION,
      uploadedBy: input.uploadedBy,
    })
    .returning();
  if (!pending) throw new Error('file insert returned nothing');
  try {
    const body = await writeBody(db, pending.id, input.body, maxBytes);
    if (input.check) await input.check({ ...pending, size: body.size, sha256: body.sha256 });
    return await finish(db, pending, body);
  } catch (error) {
    // If even the clean-up fails, the pending row stays invisible and removeAbandonedUploads takes it.
    await deleteFile(db, input.orgId, pending.id).catch(() => undefined);
    throw error;
  }
}

/** The newest complete file of a file source, or undefined when nothing was uploaded yet. */
export async function latestFileOf(db: Db, orgId: string, sourceId: string): Promise<FileRow | undefined> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.orgId, orgId), eq(files.sourceId, sourceId), gte(files.version, 1)))
    .orderBy(desc(files.version), desc(files.createdAt))
    .limit(1);
  return row;
}

/** One complete version of a file source's file; undefined when the id is not one of them. */
export async function versionOf(
  db: Db,
  orgId: string,
  sourceId: string,
  fileId: string,
): Promise<FileRow | undefined> {
  const [row] = await db
    .select()
    .from(files)
    .where(
      and(eq(files.orgId, orgId), eq(files.sourceId, sourceId), eq(files.id, fileId), gte(files.version, 1)),
    );
  return row;
}

/** Deletes a file and its chunks; deleting one that is already gone is fine. */
export async function deleteFile(db: Db, orgId: string, fileId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const owned = tx
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.orgId, orgId), eq(files.id, fileId)));
    await tx.delete(fileChunks).where(inArray(fileChunks.fileId, owned));
    await tx.delete(files).where(and(eq(files.orgId, orgId), eq(files.id, fileId)));
  });
}

/**
 * Maintenance across organisations: removes uploads that never finished (the process died mid-upload)
 * and started before `olderThan`. Returns how many were removed.
 */
export async function removeAbandonedUploads(db: Db, olderThan: Date): Promise<number> {
  const stale = await db
    .select({ id: files.id, orgId: files.orgId })
    .from(files)
    .where(and(eq(files.version, PENDING_VERSION), lt(files.createdAt, olderThan)));
  for (const row of stale) await deleteFile(db, row.orgId, row.id);
  return stale.length;
}

async function assertFileSource(db: Db, orgId: string, sourceId: string): Promise<void> {
  const [source] = await db
    .select({ type: sources.type })
    .from(sources)
    .where(and(eq(sources.orgId, orgId), eq(sources.id, sourceId)));
  if (!source) throw notFound('The source');
  if (source.type !== 'file')
    throw new UserError('BAD_REQUEST', 'Files can only be uploaded to a file source.', 'sourceId');
}

interface WrittenBody {
  size: number;
  sha256: string;
}

// Re-cuts the incoming pieces (whatever size the network delivers) into CHUNK_SIZE chunks.
async function writeBody(
  db: Db,
  fileId: string,
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<WrittenBody> {
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let current = Buffer.allocUnsafe(CHUNK_SIZE);
  let filled = 0;
  let ready: { fileId: string; seq: number; data: Buffer }[] = [];
  const flush = async () => {
    if (ready.length > 0) await db.insert(fileChunks).values(ready);
    ready = [];
  };
  for await (const piece of body) {
    size += piece.length;
    if (size > maxBytes) {
      throw new UserError(
        'BAD_REQUEST',
        `The file is larger than the upload limit of ${mib(maxBytes)}.`,
        'file',
      );
    }
    hash.update(piece);
    for (let offset = 0; offset < piece.length;) {
      const n = Math.min(CHUNK_SIZE - filled, piece.length - offset);
      current.set(piece.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled < CHUNK_SIZE) continue;
      ready.push({ fileId, seq: seq++, data: current });
      current = Buffer.allocUnsafe(CHUNK_SIZE);
      filled = 0;
      if (ready.length >= CHUNKS_PER_WRITE) await flush();
    }
  }
  if (filled > 0) ready.push({ fileId, seq: seq++, data: Buffer.from(current.subarray(0, filled)) });
  await flush();
  return { size, sha256: hash.digest('hex') };
}

// Numbering and completing in one write transaction, so two uploads finishing together get two versions.
async function finish(db: Db, pending: FileRow, body: WrittenBody): Promise<FileRow> {
  return db.transaction(async (tx) => {
    let version = 1;
    if (pending.sourceId) {
      const [latest] = await tx
        .select({ version: max(files.version) })
        .from(files)
        .where(and(eq(files.orgId, pending.orgId), eq(files.sourceId, pending.sourceId)));
      version = (latest?.version ?? 0) + 1;
    }
    const [done] = await tx
      .update(files)
      .set({ size: body.size, sha256: body.sha256, version })
      .where(and(eq(files.orgId, pending.orgId), eq(files.id, pending.id)))
      .returning();
    if (!done) throw new Error('The uploaded file was removed before it was complete.');
    return done;
  });
}

function mib(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return value >= 1 ? `${Number(value.toFixed(1))} MiB` : `${bytes} bytes`;
}
