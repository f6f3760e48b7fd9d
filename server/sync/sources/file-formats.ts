// Where the records are in JSON and XML files (`resultsPosition`), with the same words as for responses:
// `_root` and `_object` take the file as it is, a dot path points at the list, nothing means detect.
import type { Db } from '../../db/client';
import { streamChunks, type FileRow } from '../../services/files-chunks';
import { isRecord, lookupPath } from '../core/paths';
import {
  extractObjects,
  OBJECT_POSITION,
  ROOT_POSITION,
  type ResultsProblem,
} from '../core/results-position';
import { readJson, readXml } from '../formats';
import { decodeBytes, type ByteSource } from '../formats/decode';
import type { FileBatch, RecordProblem } from '../formats/file-batch';

/** A reader's batch, or a failure that says which results problem it is. */
export type RecordBatch =
  Extract<FileBatch, { ok: true }> | { ok: false; reason: string; line?: number; problem?: ResultsProblem };

// A wrapper object ({ "items": [...] }) is one JSON value, read whole: allow more than a single record.
const MAX_JSON_VALUE_CHARS = 64 * 1024 * 1024;

/**
 * JSON: an array, JSON Lines or a single object. With a dot path every value read is searched at that
 * path (a wrapper object, or JSON Lines of wrappers). Without one, a file holding a single object with
 * a list under a usual key (`items`, `data`, …) is unwrapped, as a response would be; `_root`/`_object`
 * turn that off.
 */
export async function* jsonRecords(
  bytes: ByteSource,
  position: string | null | undefined,
  batchSize: number,
): AsyncGenerator<RecordBatch> {
  const batches = readJson(bytes, { batchSize, maxRecordChars: MAX_JSON_VALUE_CHARS });
  const path = position?.trim() ?? '';
  try {
    if (path === ROOT_POSITION || path === OBJECT_POSITION) {
      yield* batches;
    } else if (path !== '') {
      for await (const batch of batches) {
        const found = batch.ok ? atPath(batch.records, path) : batch;
        yield found;
        if (!found.ok) return;
      }
    } else {
      const first = await batches.next();
      if (first.done) return;
      const batch = first.value;
      const only =
        batch.ok && batch.records.length === 1 && batch.problems.length === 0 ? batch.records[0] : null;
      const second = only ? await batches.next() : null;
      if (only && second?.done) {
        yield autoUnwrap(only);
        return;
      }
      yield batch;
      if (second && !second.done) yield second.value;
      yield* batches;
    }
  } finally {
    await batches.return(undefined);
  }
}

function atPath(values: Record<string, unknown>[], path: string): RecordBatch {
  const records: Record<string, unknown>[] = [];
  const problems: RecordProblem[] = [];
  for (const value of values) {
    const lookup = lookupPath(value, path);
    if (!lookup.found) {
      const keys = Object.keys(value).slice(0, 10).join(', ') || 'nothing';
      const reason = `The JSON file has no "${path}" (the results position); it has: ${keys}. Set the results position to one of those paths, or leave it empty to detect it.`;
      return { ok: false, reason, problem: 'missing-path' };
    }
    const list = Array.isArray(lookup.value) ? lookup.value : [lookup.value];
    if (!Array.isArray(lookup.value) && !isRecord(lookup.value)) {
      return {
        ok: false,
        reason: `"${path}" in the JSON file is not a list of objects.`,
        problem: 'not-a-list',
      };
    }
    collect(list, path, records, problems);
  }
  return { ok: true, records, problems };
}

function autoUnwrap(value: Record<string, unknown>): RecordBatch {
  const found = extractObjects(value, undefined);
  if (!found.ok || found.position === ROOT_POSITION) return { ok: true, records: [value], problems: [] };
  const records: Record<string, unknown>[] = [];
  const problems: RecordProblem[] = [];
  collect(found.objects, found.position, records, problems);
  return { ok: true, records, problems };
}

function collect(
  list: readonly unknown[],
  path: string,
  records: unknown[],
  problems: RecordProblem[],
): void {
  list.forEach((item, i) => {
    if (isRecord(item)) records.push(item);
    else
      problems.push({ index: i + 1, reason: `Element ${i + 1} of "${path}" is not an object with fields.` });
  });
}

/**
 * XML: a dot path from the root element (`catalog.book`), detection of the repeated element when
 * absent, and `_root`/`_object` for the root element as the single record.
 */
export async function* xmlRecords(
  db: Db,
  file: FileRow,
  position: string | null | undefined,
  batchSize: number,
): AsyncGenerator<RecordBatch> {
  let recordsPath = position?.trim() || undefined;
  if (recordsPath === ROOT_POSITION || recordsPath === OBJECT_POSITION) {
    recordsPath = await rootElementName(db, file);
    if (!recordsPath) {
      yield { ok: false, reason: 'The XML file has no root element.', problem: 'not-structured' };
      return;
    }
  }
  const batches = readXml(streamChunks(db, file), { recordsPath, batchSize });
  try {
    for await (const batch of batches) {
      if (!batch.ok && position && batch.line === undefined && batch.reason.includes(' has no "')) {
        yield { ...batch, problem: 'missing-path' };
      } else yield batch;
    }
  } finally {
    await batches.return(undefined);
  }
}

// The first element name after the prolog, comments and doctype, read from the first chunk only.
async function rootElementName(db: Db, file: FileRow): Promise<string | undefined> {
  const chunks = streamChunks(db, file);
  const first = await chunks.next();
  await chunks.return(undefined);
  if (first.done) return undefined;
  const text = decodeBytes(first.value.subarray(0, 64 * 1024));
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?[^>]*>/gi, '');
  return /<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
}
