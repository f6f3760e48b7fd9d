// Reads a JSON file — one array of objects, JSON Lines, or a single object — as batches of records,
// streaming: a bad record is reported with its line and skipped, a broken document ends the listing.
import { decodeStream, type ByteSource, type TextEncodingName } from './decode';
import { DEFAULT_BATCH_SIZE, errorMessage, type FileBatch, type RecordProblem } from './file-batch';
import { nestedDeeperThan, nestingReason } from '../core/nesting';
import { JsonSplitter, type RawValue } from './json-split';
import { parseJsonKeepingBigIntegers } from './json-big-integers';

export interface JsonFileOptions {
  batchSize?: number;
  encoding?: TextEncodingName;
  maxRecordChars?: number;
}

export async function* readJson(
  source: ByteSource,
  options: JsonFileOptions = {},
): AsyncGenerator<FileBatch> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const splitter = new JsonSplitter(options.maxRecordChars);
  let records: Record<string, unknown>[] = [];
  let problems: RecordProblem[] = [];
  let count = 0;

  const take = (values: RawValue[]): void => {
    for (const value of values) {
      count++;
      const parsed = parseRecord(value, count);
      if ('record' in parsed) records.push(parsed.record);
      else problems.push(parsed.problem);
    }
  };

  try {
    for await (const text of decodeStream(source, options.encoding ?? 'auto')) {
      const step = splitter.feed(text);
      take(step.values);
      if (step.fatal) {
        yield* flush();
        yield { ok: false, ...step.fatal };
        return;
      }
      if (records.length + problems.length >= batchSize) yield* flush();
    }
  } catch (error) {
    yield* flush();
    yield { ok: false, reason: `Reading the file failed: ${errorMessage(error)}` };
    return;
  }
  const last = splitter.end();
  take(last.values);
  yield* flush();
  if (last.fatal) yield { ok: false, ...last.fatal };

  // Yields what has accumulated in batches of at most `batchSize` (one chunk can complete many records).
  function* flush(): Generator<FileBatch> {
    while (records.length > 0 || problems.length > 0) {
      yield { ok: true, records: records.slice(0, batchSize), problems: problems.slice(0, batchSize) };
      records = records.slice(batchSize);
      problems = problems.slice(batchSize);
    }
  }
}

type Parsed = { record: Record<string, unknown> } | { problem: RecordProblem };

function parseRecord(value: RawValue, index: number): Parsed {
  let parsed: unknown;
  try {
    // Integers beyond 2^53 as their digits (json-big-integers.ts), not rounded.
    parsed = parseJsonKeepingBigIntegers(value.text);
  } catch (error) {
    const reason = `Record ${index} (line ${value.line}) is not valid JSON: ${errorMessage(error)}`;
    return { problem: { line: value.line, index, reason } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'a list' : parsed === null ? 'null' : typeof parsed;
    const reason = `Record ${index} (line ${value.line}) is ${kind}, not an object with fields.`;
    return { problem: { line: value.line, index, reason } };
  }
  if (nestedDeeperThan(parsed)) {
    const reason = `${nestingReason(`Record ${index} (line ${value.line})`)}.`;
    return { problem: { line: value.line, index, reason } };
  }
  return { record: parsed as Record<string, unknown> };
}
