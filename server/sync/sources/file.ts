// The file source: an uploaded CSV, JSON or XML file listed as pages of records. Only a file read to its
// end is a complete listing; a record it could not read (a malformed line) rides on its page as
// unreadable, and the listing's end names them all: such a listing deletes nothing (core/deletions.ts).
import type { Db } from '../../db/client';
import { findFile } from '../../services/files-chunks';
import type { ListingOutcome, ListingProblem } from '../core/pagination/types';
import type { SourcePage, SourcePort } from '../ports';
import { park, unpark } from './file-parking';
import {
  openRecords,
  type CsvSettings,
  type FileFormat,
  type ReadFailure,
  type RecordReader,
} from './file-records';

/**
 * Plain JSON. Resuming skips the `recordsRead` records already processed: in the same process the
 * reader left open by the previous page simply continues; elsewhere the file is read again from its
 * start and those records are skipped (parsing is needed to find record boundaries in CSV and JSON).
 */
export interface FileCursor {
  fileId: string;
  recordsRead: number;
}

export interface FileSourceOptions {
  db: Db;
  orgId: string;
  systemId: string;
  format: FileFormat;
  fileId: string;
  csv?: CsvSettings;
  resultsPosition?: string | null;
  pageSize?: number;
}

export const DEFAULT_FILE_PAGE_SIZE = 1000;

type Opened = { ok: true; reader: RecordReader } | { ok: false; problem: ListingProblem };

export function createFileSource(o: FileSourceOptions): SourcePort<FileCursor> {
  const pageSize = Math.max(1, Math.floor(o.pageSize ?? DEFAULT_FILE_PAGE_SIZE));
  const url = `file:${o.fileId}`;
  const parkKey = JSON.stringify([
    o.orgId,
    o.fileId,
    o.format,
    o.csv ?? {},
    o.resultsPosition ?? null,
    pageSize,
  ]);
  const options = { format: o.format, csv: o.csv, resultsPosition: o.resultsPosition, batchSize: pageSize };

  const transport = (page: number, message: string): ListingProblem => ({
    kind: 'transport',
    page,
    url,
    message,
  });
  const failed = (page: number, failure: ReadFailure): ListingProblem =>
    failure.problem === 'transport'
      ? transport(page, failure.message)
      : { kind: 'results', page, url, problem: failure.problem, message: failure.message };

  async function open(page: number, position: number): Promise<Opened> {
    const file = await findFile(o.db, o.orgId, o.fileId);
    if (!file)
      return { ok: false, problem: transport(page, 'The file was not found: it may have been deleted.') };
    if (file.size === 0) {
      const problem = {
        kind: 'results',
        page,
        url,
        problem: 'empty-body',
        message: 'The file is empty.',
      } as const;
      return { ok: false, problem };
    }
    const reader = openRecords(o.db, file, options);
    await reader.skipTo(position);
    if (reader.position === position) return { ok: true, reader };
    await reader.close();
    if (reader.failure) return { ok: false, problem: failed(page, reader.failure) };
    const message = `The file has ${reader.position} records, fewer than the ${position} already read: it changed during the run.`;
    return { ok: false, problem: transport(page, message) };
  }

  // Where the listing stands once the last record was handed out: read to its end, with the records it
  // could not read from the file's start (also those before a resume point).
  function outcome(reader: RecordReader, pages: number): ListingOutcome {
    if (reader.failure) return { complete: false, pages, problem: failed(pages, reader.failure) };
    const { count, samples } = reader.skipped;
    if (count > 0) return { complete: true, pages, unreadable: { count, samples: [...samples] } };
    return { complete: true, pages };
  }

  async function* pages(
    from: FileCursor | null,
  ): AsyncGenerator<SourcePage<FileCursor>, ListingOutcome, void> {
    let position = Math.max(0, Math.floor(from?.recordsRead ?? 0));
    let page = Math.floor(position / pageSize) + 1;
    if (from && from.fileId !== o.fileId) {
      const message = 'A new version of the file was uploaded during the run; run again to read it.';
      return { complete: false, pages: page - 1, problem: transport(page, message) };
    }
    let reader = unpark(o.db, parkKey, position);
    if (!reader) {
      const opened = await open(page, position);
      if (!opened.ok) return { complete: false, pages: page - 1, problem: opened.problem };
      reader = opened.reader;
    }
    let parked = false;
    try {
      for (;;) {
        const { records, unreadable, more } = await reader.take(pageSize);
        const bad = unreadable.length > 0 ? { unreadable } : {};
        if (records.length === 0 && reader.failure) {
          return { complete: false, pages: page - 1, problem: failed(page, reader.failure) };
        }
        position = reader.position;
        if (!more) {
          const end = outcome(reader, page);
          yield { number: page, url, objects: records, ...bad, then: { kind: 'end', outcome: end } };
          return end;
        }
        // The engine takes one page per step: the next step picks the reader up where this one left it.
        park(o.db, parkKey, reader);
        parked = true;
        yield {
          number: page,
          url,
          objects: records,
          ...bad,
          then: { kind: 'next', cursor: { fileId: o.fileId, recordsRead: position } },
        };
        // This generator is being read on: take the reader back, or re-open when it was evicted meanwhile.
        page++;
        parked = false;
        const back = unpark(o.db, parkKey, position);
        if (back) reader = back;
        else {
          const opened = await open(page, position);
          if (!opened.ok) return { complete: false, pages: page - 1, problem: opened.problem };
          reader = opened.reader;
        }
      }
    } finally {
      if (!parked) await reader.close();
    }
  }

  return { systemId: o.systemId, pages };
}
