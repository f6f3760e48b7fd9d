// Records out of a stored file, for the file source and the upload preview: the format's reader over
// the file's chunks, taken a page at a time, with a tally of the records that had to be left out.
import type { Db } from '../../db/client';
import { streamChunks, type FileRow } from '../../services/files-chunks';
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

/**
 * Pulls batches on demand and hands out records in takes of any size. It reads at most one batch past
 * what was asked, to know whether more follow. Records reported as unreadable (a CSV row with the wrong
 * number of fields, a JSON line that does not parse) are counted and sampled, not returned.
 */
export class RecordReader {
  /** Records handed out or skipped over so far: the resume position. */
  position = 0;
  readonly skipped: { count: number; samples: RecordProblem[] } = { count: 0, samples: [] };
  /** The first unreadable records (more than `skipped.samples`), for the file preview. */
  readonly badRows: RecordProblem[] = [];
  failure: ReadFailure | null = null;
  private buffer: Record<string, unknown>[] = [];
  private ended = false;

  constructor(private readonly batches: AsyncGenerator<RecordBatch | FileBatch>) {}

  /** Moves past `count` records from the start without keeping them. */
  async skipTo(count: number): Promise<void> {
    while (this.position < count) {
      if (this.buffer.length === 0) await this.pull();
      if (this.buffer.length === 0) return;
      const n = Math.min(this.buffer.length, count - this.position);
      this.buffer = this.buffer.slice(n);
      this.position += n;
    }
  }

  /** Up to `size` records, and whether any record follows them. */
  async take(size: number): Promise<{ records: Record<string, unknown>[]; more: boolean }> {
    while (this.buffer.length <= size && !this.ended) await this.pull();
    const records = this.buffer.slice(0, size);
    this.buffer = this.buffer.slice(size);
    this.position += records.length;
    return { records, more: this.buffer.length > 0 || !this.ended };
  }

  async close(): Promise<void> {
    this.ended = true;
    this.buffer = [];
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
    for (const record of batch.records) this.buffer.push(record);
    for (const problem of batch.problems) {
      this.skipped.count++;
      if (this.skipped.samples.length < SAMPLES) this.skipped.samples.push(problem);
      if (this.badRows.length < LISTED_BAD_ROWS) this.badRows.push(problem);
    }
  }

  private end(failure: ReadFailure): void {
    this.failure = failure;
    this.ended = true;
  }
}

/** The message for a listing that left records out: they are named, and nothing will be deleted. */
export function describeSkipped(skipped: RecordReader['skipped']): string {
  const { count, samples } = skipped;
  const reasons = samples.map((sample) => sample.reason).join(' ');
  const rest = count > samples.length ? ` …and ${count - samples.length} more.` : '';
  return (
    `${count} record${count === 1 ? ' was' : 's were'} left out because ${count === 1 ? 'it' : 'they'} ` +
    `could not be read, so nothing is deleted this run. ${reasons}${rest} Fix the file and upload it again.`
  );
}
