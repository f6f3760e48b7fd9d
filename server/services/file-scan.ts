// The whole file read once as a synchronisation reads it: how many rows, which rows could not be read
// (a CSV row with the wrong number of fields, a JSON record that does not parse), which ids appear more
// than once or are missing, and — when the file breaks off — where. The preview shows it; the upload
// refuses a file that breaks off, so such a file never becomes the version synchronisations read.
import type { Db } from '../db/client';
import type { RecordProblem } from '../sync/formats/file-batch';
import { openRecords, type FileReadOptions } from '../sync/sources/file-records';
import type { FileRow } from './files-chunks';

/** Files larger than this are not counted in the preview (the upload still checks them whole). */
export const SCAN_PREVIEW_MAX_BYTES = 50 * 1024 * 1024;
const LISTED = 50;
const BATCH = 1000;

export interface DuplicateId {
  id: string;
  count: number;
  /** Where its rows are, numbered as `FileScan.numbering` says. */
  rows: number[];
}

export interface FileScan {
  /** Readable rows (objects a synchronisation would get). */
  rows: number;
  /**
   * How the scan numbers rows, everywhere (bad rows, duplicate and missing ids): by the file line each
   * starts on where the format has lines (CSV: what a person finds in an editor), else by position
   * among the file's records.
   */
  numbering: 'line' | 'record';
  badRows: { count: number; listed: RecordProblem[] };
  /** Set when an id column was given. */
  ids?: {
    column: string;
    duplicates: { count: number; listed: DuplicateId[] };
    missing: { count: number; rows: number[] };
  };
  /** The file cannot be read past this point: nothing after it would be synchronised. */
  failure?: { reason: string; line?: number };
}

export async function scanFile(
  db: Db,
  file: FileRow,
  options: Omit<FileReadOptions, 'batchSize'>,
  idColumn?: string,
): Promise<FileScan> {
  const reader = openRecords(db, file, { ...options, batchSize: BATCH });
  const seen = new Map<string, number[]>();
  const missing: number[] = [];
  let missingCount = 0;
  let rows = 0;
  const numbering: FileScan['numbering'] = options.format === 'csv' ? 'line' : 'record';
  try {
    for (;;) {
      const { records, lines, more } = await reader.take(BATCH);
      for (const [i, record] of records.entries()) {
        rows++;
        if (idColumn === undefined) continue;
        const place = lines?.[i] ?? rows;
        const value = record[idColumn];
        const id =
          typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
            ? String(value).trim()
            : value === undefined || value === null
              ? ''
              : JSON.stringify(value);
        if (id === '') {
          missingCount++;
          if (missing.length < LISTED) missing.push(place);
          continue;
        }
        const at = seen.get(id);
        if (at) at.push(place);
        else seen.set(id, [place]);
      }
      if (!more) break;
    }
  } finally {
    await reader.close();
  }
  const scan: FileScan = {
    rows,
    numbering,
    badRows: { count: reader.skipped.count, listed: [] },
  };
  scan.badRows.listed = reader.badRows.slice(0, LISTED);
  if (idColumn !== undefined) {
    const duplicates = [...seen.entries()].filter(([, at]) => at.length > 1);
    scan.ids = {
      column: idColumn,
      duplicates: {
        count: duplicates.length,
        listed: duplicates
          .slice(0, LISTED)
          .map(([id, at]) => ({ id, count: at.length, rows: at.slice(0, 5) })),
      },
      missing: { count: missingCount, rows: missing },
    };
  }
  if (reader.failure) {
    scan.failure = {
      reason: reader.failure.message,
      ...(reader.failure.line !== undefined ? { line: reader.failure.line } : {}),
    };
  }
  return scan;
}

/**
 * Why a stored (still pending) upload cannot be read to its end as `options` say, or null when it can.
 * Read with the results position left to detection, as a synchronisation with none set reads it.
 */
export async function unreadableBecause(
  db: Db,
  file: FileRow,
  options: Omit<FileReadOptions, 'batchSize' | 'resultsPosition'>,
): Promise<{ reason: string; line?: number } | null> {
  const reader = openRecords(db, file, { ...options, resultsPosition: null, batchSize: BATCH });
  try {
    for (;;) {
      const { more } = await reader.take(BATCH);
      if (!more) break;
    }
  } finally {
    await reader.close();
  }
  const failure = reader.failure;
  // A failure to fetch the bytes is Concord's, not the file's: storing fails on its own then.
  if (!failure || failure.problem === 'transport') return null;
  return { reason: failure.message, ...(failure.line !== undefined ? { line: failure.line } : {}) };
}
