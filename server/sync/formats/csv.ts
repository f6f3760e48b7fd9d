// Streams a CSV file into batches of records keyed by the header row. Memory stays bounded: bytes are
// decoded and parsed as they arrive, and nothing is read ahead while the caller works on a batch.
import { Readable, pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { detectDialect, type CsvDelimiter, type CsvQuote } from './csv-dialect';
import { decodeStream, type ByteSource, type TextEncodingName } from './decode';
import { DEFAULT_BATCH_SIZE, errorMessage, type FileBatch, type RecordProblem } from './file-batch';
import { headerNames, LineCounter } from './csv-lines';

export type CsvRecord = Record<string, string>;
export type CsvBatch = FileBatch<CsvRecord>;

export interface CsvOptions {
  /** Detected from the start of the file when not set. */
  delimiter?: CsvDelimiter;
  quote?: CsvQuote;
  encoding?: TextEncodingName;
  batchSize?: number;
  /** A single record larger than this is refused: it is almost always a quote that was never closed. */
  maxRecordChars?: number;
  /** Called once the dialect and encoding are known (the preview shows them). */
  onDialect?: (dialect: { delimiter: CsvDelimiter; quote: CsvQuote; encoding: string }) => void;
  onHeader?: (names: string[]) => void;
}

const SAMPLE_CHARS = 64 * 1024;
const DEFAULT_MAX_RECORD_CHARS = 8 * 1024 * 1024;

// With `raw`, csv-parse yields each record with the text it came from (used to count lines).
interface ParsedRow {
  record: string[];
  raw: string;
}

/** Yields batches of `batchSize` records; a broken file ends with one failure naming the line. */
export async function* readCsv(source: ByteSource, options: CsvOptions = {}): AsyncGenerator<CsvBatch> {
  let encoding = 'utf-8';
  const text = decodeStream(source, options.encoding, (used) => (encoding = used));
  const head = await takeSample(text);
  const detected = detectDialect(head.sample, head.done);
  const delimiter = options.delimiter ?? detected.delimiter;
  const quote = options.quote ?? detected.quote;
  options.onDialect?.({ delimiter, quote, encoding });

  // Parser errors are collected with their position (records emitted before them) and reported in order.
  const parseErrors: CsvError[] = [];
  const parser = parse({
    delimiter,
    quote,
    escape: quote,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
    raw: true,
  });
  parser.on('skip', (error: CsvError) => parseErrors.push(error));
  const input = Readable.from(prepend(head, text));
  pipeline(input, parser, () => {}); // errors reach us through the iteration below

  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const lines = new LineCounter();
  let header: string[] | undefined;
  let received = 0;
  let batch: CsvRecord[] = [];
  let lineOf: number[] = [];
  let problems: RecordProblem[] = [];
  let readError: string | undefined;
  let swallowed: number | undefined;
  try {
    for await (const row of parser as AsyncIterable<ParsedRow>) {
      const fatal = parseErrors[0];
      if (fatal && Number(fatal.records) <= received) break;
      received++;
      const line = lines.advance(row.raw);
      // relax_quotes lets a quote that is never closed be "closed" by the next quote in the file, which
      // silently swallows every line in between into one field. csv-parse then keeps the opening quote
      // in the value: a field that starts with it and spans lines is that case, and it ends the file.
      if (row.record.some((field) => field.startsWith(quote) && /[\r\n]/.test(field))) {
        swallowed = line;
        break;
      }
      if (!header) {
        header = headerNames(row.record);
        options.onHeader?.(header);
        continue;
      }
      if (row.record.length !== header.length) {
        problems.push({
          line,
          reason: `it has ${plural(row.record.length, 'field')} but the header has ${header.length}`,
          before: batch.length,
        });
      } else {
        batch.push(Object.fromEntries(header.map((name, i) => [name, row.record[i] ?? ''])));
        lineOf.push(line);
      }
      if (batch.length + problems.length >= batchSize) {
        yield { ok: true, records: batch, problems, lines: lineOf };
        batch = [];
        lineOf = [];
        problems = [];
      }
    }
  } catch (error) {
    readError = errorMessage(error);
  } finally {
    // The caller may stop early: release the file instead of reading it to the end.
    parser.destroy();
    input.destroy();
  }
  // Records read before a broken spot are still good; the failure after them ends the listing.
  if (batch.length > 0 || problems.length > 0) yield { ok: true, records: batch, problems, lines: lineOf };
  const fatal = parseErrors[0];
  if (readError !== undefined) yield { ok: false, reason: `Reading the file failed: ${readError}` };
  else if (swallowed !== undefined) {
    yield {
      ok: false,
      reason: `The CSV file cannot be read past line ${swallowed - 1}: a quoted field that starts on line ${swallowed} is not closed on its line (a later quote would swallow the lines in between).`,
      line: swallowed,
    };
  } else if (fatal) yield parseFailure(fatal, lines);
  else if (!header) yield { ok: false, reason: 'The CSV file is empty: it has no header row.' };
}

function parseFailure(error: CsvError, lines: LineCounter): CsvBatch {
  const line = lines.startOf(typeof error.raw === 'string' ? error.raw : '');
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: `a quoted field that starts on line ${line} is never closed`,
    CSV_MAX_RECORD_SIZE: `the record starting on line ${line} is too long (is a quote left open?)`,
  };
  const why = reasons[error.code] ?? `line ${line}: ${error.message}`;
  return { ok: false, reason: `The CSV file cannot be read past line ${line - 1}: ${why}.`, line };
}

interface Sample {
  sample: string;
  done: boolean;
  /** The source failed while sampling: it surfaces after the sample, as a failure later on would. */
  error?: Error;
}

// Reads enough text to guess the dialect; the same text is then fed to the parser first.
async function takeSample(text: AsyncGenerator<string>): Promise<Sample> {
  let sample = '';
  try {
    while (sample.length < SAMPLE_CHARS) {
      const next = await text.next();
      if (next.done) return { sample, done: true };
      sample += next.value;
    }
  } catch (error) {
    return { sample, done: true, error: error instanceof Error ? error : new Error(errorMessage(error)) };
  }
  return { sample, done: false };
}

async function* prepend(head: Sample, rest: AsyncGenerator<string>): AsyncGenerator<string> {
  if (head.sample) yield head.sample;
  if (head.error) throw head.error;
  if (!head.done) yield* rest;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
