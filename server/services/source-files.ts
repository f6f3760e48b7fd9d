// The files of a file source: its versions, the file a synchronisation reads, and the preview with the
// CSV options the person chose (falling back to those saved on the source, then to detection), and the
// upload route's work once the caller has passed the gate.
import { and, desc, eq, gte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { files, type sources } from '../db/schema';
import { fileSourceConfig, type FileSourceConfig } from '../sync/config/source-config';
import { readStored } from '../sync/config/stored';
import { guessIdColumn } from '../sync/core/discover';
import { UserError, notFound } from './errors';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  findFile,
  latestFileOf,
  previewFile,
  storeFile,
  type FilePreview,
  type FileRow,
} from './files';
import { SCAN_PREVIEW_MAX_BYTES, scanFile, unreadableBecause, type FileScan } from './file-scan';
import { loadSource, updateSource } from './sources';

type SourceRow = typeof sources.$inferSelect;

/** What the UI sees of a stored file. */
export function publicFile(file: FileRow) {
  const { id, name, size, version, sha256, contentType, createdAt } = file;
  return { id, name, size, version, sha256, contentType, createdAt };
}
export type PublicFile = ReturnType<typeof publicFile>;

/** The complete versions of a source's file, newest first. */
export async function listSourceFiles(db: Db, orgId: string, sourceId: string): Promise<PublicFile[]> {
  await loadSource(db, orgId, sourceId);
  const rows = await db
    .select()
    .from(files)
    .where(and(eq(files.orgId, orgId), eq(files.sourceId, sourceId), gte(files.version, 1)))
    .orderBy(desc(files.version))
    .limit(100);
  return rows.map(publicFile);
}

function fileConfigOf(row: SourceRow): FileSourceConfig {
  const parsed = readStored(fileSourceConfig, row.config, `source ${row.id} settings`);
  if (!parsed.success) throw new UserError('BAD_REQUEST', 'The file source configuration is not valid.');
  return parsed.data;
}

/** The file a synchronisation of this source reads: the pinned one (`config.fileId`), else the newest. */
export async function usedFileOf(
  db: Db,
  row: Pick<SourceRow, 'id' | 'orgId' | 'type' | 'config'>,
): Promise<FileRow | undefined> {
  if (row.type !== 'file') return undefined;
  const pinned = readStored(fileSourceConfig, row.config, `source ${row.id} settings`).data?.fileId;
  return pinned ? findFile(db, row.orgId, pinned) : latestFileOf(db, row.orgId, row.id);
}

export interface SourcePreviewOptions {
  fileId?: string;
  /** Undefined: the source's saved setting; '' : detect. */
  delimiter?: string;
  quote?: string;
  encoding?: 'auto' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';
  /** The id column to check for duplicates; left out: the one saved on the source (CSV). */
  idColumn?: string;
}

export interface SourcePreview {
  file: PublicFile | null;
  preview: FilePreview | null;
  /** The whole file counted (rows, bad rows, duplicate ids); null when it is too large to count here. */
  scan: FileScan | null;
  /** The id column saved on the source (CSV): what its synchronisations identify rows by. */
  savedIdColumn: string | null;
  /** The options the preview was read with ('' and 'auto' mean detected). */
  applied: { delimiter: string; quote: string; encoding: string };
}

export async function previewSourceFile(
  db: Db,
  orgId: string,
  sourceId: string,
  options: SourcePreviewOptions,
): Promise<SourcePreview> {
  const row = await loadSource(db, orgId, sourceId);
  if (row.type !== 'file') throw new UserError('BAD_REQUEST', 'Only file sources have a file to preview.');
  const config = fileConfigOf(row);
  const applied = {
    delimiter: options.delimiter ?? config.csv.delimiter ?? '',
    quote: options.quote ?? config.csv.quote ?? '',
    encoding: options.encoding ?? config.csv.encoding ?? 'auto',
  };
  let file: FileRow | undefined;
  if (options.fileId) {
    file = await findFile(db, orgId, options.fileId);
    if (!file || file.sourceId !== sourceId) throw notFound('The file');
  } else {
    file = await usedFileOf(db, row);
  }
  const savedIdColumn = config.format === 'csv' ? (config.csv.idColumn ?? null) : null;
  if (!file) return { file: null, preview: null, scan: null, savedIdColumn, applied };
  const preview = await previewFile(db, orgId, file.id, {
    format: config.format,
    delimiter: applied.delimiter,
    quote: applied.quote,
    encoding: applied.encoding,
  });
  // The column the page shows as chosen: the person's, else the saved one, else the same guess.
  const columns = preview.ok ? (preview.format === 'csv' ? preview.header : preview.fields) : [];
  const idColumn = options.idColumn?.trim() || savedIdColumn || guessIdColumn(columns) || undefined;
  const scan =
    file.size <= SCAN_PREVIEW_MAX_BYTES
      ? await scanFile(
          db,
          file,
          {
            format: config.format,
            csv: {
              delimiter: applied.delimiter || undefined,
              quote: applied.quote || undefined,
              encoding: applied.encoding === 'auto' ? undefined : applied.encoding,
            },
          },
          idColumn,
        )
      : null;
  return { file: publicFile(file), preview, scan, savedIdColumn, applied };
}

// Uploads ---------------------------------------------------------------------------------------

export interface UploadOptions {
  maxBytes?: number;
  /** The request's Content-Length, when it sent one: a body announced too large is refused unread. */
  declaredSize?: number;
}

class TooLarge extends Error {}

/** Encodings a synchronisation would not find on its own (it reads UTF-8 unless told otherwise). */
const SAVED_ENCODINGS = ['windows-1252', 'latin1', 'utf-16le', 'utf-16be'] as const;

/** An upload refused before it became a version: the status to answer and a sentence saying what to do. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 413,
    message: string,
    /** The file itself could not be read (as opposed to where it was sent, or its size). */
    readonly unreadable = false,
  ) {
    super(message);
  }
}

export interface UploadResult {
  file: PublicFile;
  /** The encoding detected and saved on the source (a non-UTF-8 CSV with none set). */
  savedEncoding?: string;
}

/**
 * Streams an upload into a new version of a file source's file (the caller has passed its gate with
 * permission to change sources). A non-UTF-8 CSV's detected encoding is saved on the source when none is
 * set, so the synchronisation decodes the file as the preview did. Refusals are `UploadRefused`.
 */
export async function uploadSourceFile(
  db: Db,
  gate: { orgId: string; userId: string },
  sourceId: string,
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
  filename: string,
  contentType: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  let row: SourceRow;
  try {
    row = await loadSource(db, gate.orgId, sourceId);
  } catch (error) {
    if (error instanceof UserError) throw new UploadRefused(404, 'The source was not found.');
    throw error;
  }
  if (row.type !== 'file')
    throw new UploadRefused(400, `Files can only be uploaded to a file source, not a ${row.type} source.`);
  if (!body) throw new UploadRefused(400, 'The upload is empty: send the file as the request body.');
  if (options.declaredSize !== undefined && options.declaredSize > maxBytes)
    throw new UploadRefused(413, tooLarge(maxBytes));

  let file: FileRow;
  try {
    file = await storeFile(db, {
      orgId: gate.orgId,
      sourceId,
      name: cleanName(filename),
      contentType,
      uploadedBy: gate.userId,
      body: capped(body, maxBytes),
      maxBytes,
      check: (pending) => refuseUnreadable(db, row, pending),
    });
  } catch (error) {
    if (error instanceof TooLarge) throw new UploadRefused(413, tooLarge(maxBytes));
    if (error instanceof UserError)
      throw new UploadRefused(error.code === 'NOT_FOUND' ? 404 : 400, error.message, error.field === 'file');
    throw error;
  }
  const savedEncoding = await saveDetectedEncoding(db, row, file);
  return { file: publicFile(file), ...(savedEncoding ? { savedEncoding } : {}) };
}

/** The upload route's answer: `{ file }` (201) or `{ error }` with 4xx. */
export async function handleUpload(...args: Parameters<typeof uploadSourceFile>): Promise<Response> {
  try {
    return Response.json(await uploadSourceFile(...args), { status: 201 });
  } catch (error) {
    if (error instanceof UploadRefused)
      return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}

/**
 * A file a synchronisation could not read to its end never becomes the version it reads: the upload is
 * refused with the place to look (line, and column where the format says) and what to do.
 */
async function refuseUnreadable(db: Db, row: SourceRow, pending: FileRow): Promise<void> {
  const config = fileConfigOf(row);
  const problem = await unreadableBecause(db, pending, { format: config.format, csv: config.csv });
  if (!problem) return;
  const where =
    problem.line !== undefined && !/line \d/i.test(problem.reason) ? `Line ${problem.line}: ` : '';
  throw new UserError(
    'BAD_REQUEST',
    `The file was not stored: ${where}${problem.reason} Fix the file and upload it again; synchronisations keep reading the current version.`,
    'file',
  );
}

async function saveDetectedEncoding(db: Db, row: SourceRow, file: FileRow): Promise<string | undefined> {
  const config = readStored(fileSourceConfig, row.config, `source ${row.id} settings`).data;
  if (!config || config.format !== 'csv' || config.csv.encoding) return undefined;
  const preview = await previewFile(db, row.orgId, file.id, { format: 'csv', rows: 1, encoding: 'auto' });
  if (preview.format !== 'csv' || !preview.ok) return undefined;
  const encoding = SAVED_ENCODINGS.find((name) => name === preview.dialect.encoding);
  if (!encoding) return undefined;
  await updateSource(db, row.orgId, row.id, { config: { ...config, csv: { ...config.csv, encoding } } });
  return encoding;
}

// Counts while it streams and stops at the limit, before storeFile sees the piece that crosses it.
async function* capped(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const piece of 'getReader' in body ? readStream(body) : body) {
    total += piece.length;
    if (total > maxBytes) throw new TooLarge();
    yield piece;
  }
}

async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early (too large) cancels the rest of the request body instead of leaving it unread.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function cleanName(raw: string): string {
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // not encoded
  }
  const base = name.split(/[\\/]/).pop() ?? '';
  const printable = [...base].filter((char) => char.charCodeAt(0) >= 32).join('');
  return printable.trim().slice(0, 200) || 'upload';
}

function tooLarge(maxBytes: number): string {
  const mib = maxBytes / (1024 * 1024);
  const limit = mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${maxBytes} bytes`;
  return `The file is larger than the upload limit of ${limit}.`;
}
