// What the upload screen shows for a stored file: for CSV the detected dialect, encoding, header and
// first rows (all changeable); for JSON and XML the first records exactly as a sync would read them.
import type { Db } from '../db/client';
import {
  previewCsv,
  type CsvDelimiter,
  type CsvPreview,
  type CsvQuote,
  type TextEncodingName,
} from '../sync/formats';
import { describeSkipped, openRecords, type FileFormat } from '../sync/sources/file-records';
import { notFound } from './errors';
import { findFile, streamChunks, type FileRow } from './files-chunks';

export interface FilePreviewOptions {
  delimiter?: string;
  quote?: string;
  encoding?: TextEncodingName;
  /** How many rows to show (default 20, at most 200). */
  rows?: number;
  /** Guessed from the content type, the name, then the first character when absent. */
  format?: FileFormat;
  resultsPosition?: string | null;
}

export type FilePreview =
  | ({ format: 'csv' } & CsvPreview)
  | {
      format: 'json' | 'xml';
      ok: true;
      /** The keys found in the rows shown, for choosing the id field. */
      fields: string[];
      rows: Record<string, unknown>[];
      /** Set when the rows shown are followed by a problem that would stop the sync. */
      warning?: string;
    }
  | { format: 'json' | 'xml'; ok: false; reason: string };

// Enough text for dialect detection and the first rows of any sensible CSV.
const SAMPLE_BYTES = 64 * 1024;

export async function previewFile(
  db: Db,
  orgId: string,
  fileId: string,
  options: FilePreviewOptions = {},
): Promise<FilePreview> {
  const file = await findFile(db, orgId, fileId);
  if (!file) throw notFound('The file');
  const rows = Math.min(200, Math.max(1, Math.floor(options.rows ?? 20)));
  const sample = await readSample(db, file);
  const format = options.format ?? guessFormat(file, sample);
  if (format === 'csv') {
    const preview = await previewCsv(sample, {
      delimiter: (options.delimiter || undefined) as CsvDelimiter | undefined,
      quote: (options.quote || undefined) as CsvQuote | undefined,
      encoding: options.encoding,
      rows,
      complete: sample.length >= file.size,
    });
    return { format, ...preview };
  }
  if (file.size === 0) return { format, ok: false, reason: 'The file is empty.' };
  const reader = openRecords(db, file, { format, resultsPosition: options.resultsPosition, batchSize: rows });
  try {
    const taken = await reader.take(rows);
    if (taken.records.length === 0 && reader.failure)
      return { format, ok: false, reason: reader.failure.message };
    const warning =
      reader.failure?.message ?? (reader.skipped.count ? describeSkipped(reader.skipped) : undefined);
    const fields = [...new Set(taken.records.flatMap((record) => Object.keys(record)))];
    return { format, ok: true, fields, rows: taken.records, ...(warning ? { warning } : {}) };
  } finally {
    await reader.close();
  }
}

async function readSample(db: Db, file: FileRow): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  const chunks = streamChunks(db, file);
  try {
    for await (const chunk of chunks) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= SAMPLE_BYTES) break;
    }
  } finally {
    await chunks.return(undefined);
  }
  return Buffer.concat(parts, length);
}

/** From the content type, then the file name, then the first meaningful character. */
export function guessFormat(file: Pick<FileRow, 'contentType' | 'name'>, sample: Uint8Array): FileFormat {
  const type = file.contentType.toLowerCase();
  if (/json/.test(type)) return 'json';
  if (/xml/.test(type)) return 'xml';
  if (/csv|tab-separated/.test(type)) return 'csv';
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  if (extension === 'json' || extension === 'jsonl' || extension === 'ndjson') return 'json';
  if (extension === 'xml') return 'xml';
  if (extension === 'csv' || extension === 'tsv') return 'csv';
  const head = new TextDecoder()
    .decode(sample.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return 'json';
  if (head.startsWith('<')) return 'xml';
  return 'csv';
}
