// Records out of a stored file, for the file source and the upload preview: the format's reader over
// the file's chunks, taken a page at a time, with a tally of the records that had to be left out.
import type { Db } from '../../db/client';
import { streamChunks, type FileRow } from '../../services/files-chunks';
import type { UnreadableRecord } from '../core/pagination/types';
import { nameUnreadable, unreadableEntry } from '../core/unreadable';
import type { ResultsProblem } from '../core/results-position';
import { readCsv, type CsvDelimiter, type CsvQuote, type TextEncodingName } from '../formats';
import { errorMessage, type FileBatch, type RecordProblem } from '../formats/file-batch';
import { jsonRecords, xmlRecords, type RecordBatch } from './file-formats';

export type FileFormat = 'csv' | 'json' | 'xml';

export interface CsvSettings {
  /** Any single character; empty or absent means detected from the start of the file. */
  delimiter?: string;
  quote?: string;
  encoding?: TextEncodingName;
}

export interface FileReadOptions {
  format: FileFormat;
  csv?: CsvSettings;
  /** JSON and XML only (see file-formats.ts); a CSV file is always one record per row. */
  resultsPosition?: string | null;
  /** Records per batch of the underlying reader (about a page). */
  batchSize: number;
}

/** Why a file could not be read to its end: nothing after this point can be trusted. */
export interface ReadFailure {
  readonly problem: ResultsProblem | 'transport';
  readonly message: string;
  /** 1-based line where reading stopped, when the format has lines. */
  readonly line?: number;
}

const SAMPLES = 5;
/** Unreadable records kept for the preview's list of bad rows. */
const LISTED_BAD_ROWS = 50;

export function openRecords(db: Db, file: FileRow, options: FileReadOptions): RecordReader {
  const bytes = streamChunks(db, file);
  const batchSize = options.batchSize;
  switch (options.format) {
    case 'csv': {
      const csv = options.csv ?? {};
      const batches = readCsv(bytes, {
        batchSize,
        // csv-parse takes any single character; the detected ones are just the usual four.
        delimiter: (csv.delimiter || undefined) as CsvDelimiter | undefined,
        quote: (csv.quote || undefined) as CsvQuote | undefined,
        encoding: csv.encoding,
      });
      return new RecordReader(batches);
    }
    case 'json':
      return new RecordReader(jsonRecords(bytes, options.resultsPosition, batchSize));
    case 'xml':
      return new RecordReader(xmlRecords(db, file, options.resultsPosition, batchSize));
  }
}

/** Up to `size` records, the line each starts on (CSV), the unreadable records among them, and whether more follow. */
export interface Take {
  records: Record<string, unknown>[];
  /** The 1-based file line of each record, when the format has lines (CSV); else positions mean records. */
  lines?: number[];
  /**
   * The unreadable records that fall among these (before the first record that follows them; the last
   * take has all that are left). Each is handed out once, also after a resume (skipTo).
   */
  unreadable: UnreadableRecord[];
  more: boolean;
}

/**
 * Pulls batches on demand and hands out records in takes of any size. It reads at most one batch past
 * what was asked, to know whether more follow. Records reported as unreadable (a CSV row with the wrong
 * number of fields, a JSON line that does not parse) are not returned as records: each is handed out
 * with the take it falls in, and counted and sampled for the listing's end and the preview.
 */
export class RecordReader {
  /** Records handed out or skipped over so far: the resume position. */
  position = 0;
  /** Every unreadable record from the file's start (also those before a resume point). */
  readonly skipped: { count: number; samples: UnreadableRecord[] } = { count: 0, samples: [] };
  /** The first unreadable records (more than `skipped.samples`), for the file preview. */
  readonly badRows: UnreadableRecord[] = [];
  failure: ReadFailure | null = null;
  private buffer: Record<string, unknown>[] = [];
  private lineBuffer: number[] = [];
  private hasLines = false;
  /** Unreadable records not handed out yet, each with the number of records before it in the file. */
  private pending: { at: number; record: UnreadableRecord }[] = [];
  private ended = false;

  constructor(private readonly batches: AsyncGenerator<RecordBatch | FileBatch>) {}

  /** Moves past `count` records from the start without keeping them. */
  async skipTo(count: number): Promise<void> {
    while (this.position < count) {
      if (this.buffer.length === 0) await this.pull();
      if (this.buffer.length === 0) return;
      const n = Math.min(this.buffer.length, count - this.position);
      this.buffer = this.buffer.slice(n);
      this.lineBuffer = this.lineBuffer.slice(n);
      this.position += n;
    }
    // Those before the resume point were handed out with the earlier records.
    this.pending = this.pending.filter((p) => p.at >= this.position);
  }

  /** Up to `size` records, and whether any record follows them. */
  async take(size: number): Promise<Take> {
    while (this.buffer.length <= size && !this.ended) await this.pull();
    const records = this.buffer.slice(0, size);
    const lines = this.hasLines ? this.lineBuffer.slice(0, size) : undefined;
    this.buffer = this.buffer.slice(size);
    this.lineBuffer = this.lineBuffer.slice(size);
    this.position += records.length;
    const more = this.buffer.length > 0 || !this.ended;
    const end = this.position;
    const mine = more ? this.pending.filter((p) => p.at < end) : this.pending;
    this.pending = more ? this.pending.filter((p) => p.at >= end) : [];
    return { records, ...(lines ? { lines } : {}), unreadable: mine.map((p) => p.record), more };
  }

  async close(): Promise<void> {
    this.ended = true;
    this.buffer = [];
    this.lineBuffer = [];
    this.pending = [];
    await this.batches.return(undefined).catch(() => undefined);
  }

  private async pull(): Promise<void> {
    let next: IteratorResult<RecordBatch | FileBatch>;
    try {
      next = await this.batches.next();
    } catch (error) {
      this.end({ problem: 'transport', message: `Reading the file failed: ${errorMessage(error)}` });
      return;
    }
    if (next.done) {
      this.ended = true;
      return;
    }
    const batch = next.value;
    if (!batch.ok) {
      // The readers say "Reading the file failed" when the bytes could not be fetched, not parsed.
      const transport = batch.reason.startsWith('Reading the file failed');
      const given = 'problem' in batch ? batch.problem : undefined;
      this.end({
        problem: given ?? (transport ? 'transport' : 'not-structured'),
        message: batch.reason,
        ...('line' in batch && batch.line !== undefined ? { line: batch.line } : {}),
      });
      return;
    }
    // Records of earlier batches: where this batch's unreadable records fall among the file's records.
    const start = this.position + this.buffer.length;
    for (const record of batch.records) this.buffer.push(record);
    const lines = 'lines' in batch ? batch.lines : undefined;
    if (lines) {
      this.hasLines = true;
      for (const line of lines) this.lineBuffer.push(line);
    }
    for (const problem of batch.problems) {
      const record = unreadableRecord(problem);
      this.pending.push({ at: start + (problem.before ?? 0), record });
      this.skipped.count++;
      if (this.skipped.samples.length < SAMPLES) this.skipped.samples.push(record);
      if (this.badRows.length < LISTED_BAD_ROWS) this.badRows.push(record);
    }
  }

  private end(failure: ReadFailure): void {
    this.failure = failure;
    this.ended = true;
  }
}

/** A reader's problem as the engine takes it: where it is and why, nothing of the batch it came in. */
function unreadableRecord(problem: RecordProblem): UnreadableRecord {
  return {
    ...(problem.line !== undefined ? { line: problem.line } : {}),
    ...(problem.index !== undefined ? { index: problem.index } : {}),
    reason: problem.reason,
  };
}

/** For a preview: the records left out so far, the first with its reason, and what a run does of them. */
export function describeSkipped(skipped: RecordReader['skipped']): string {
  const first = skipped.samples[0];
  const them = skipped.count === 1 ? 'it' : 'them';
  const why = first ? ` ${unreadableEntry(first).reason}.` : '';
  const named = nameUnreadable(skipped);
  return (
    `${named.charAt(0).toUpperCase()}${named.slice(1)} could not be read: a synchronisation lists ${them} among the objects that ` +
    `need attention and deletes nothing while the file has ${them}.${why}`
  );
}
