// A run's entries as a download, NDJSON or CSV, streamed: read in keyset pages of a thousand and
// written as they come, so a run with a million lines never becomes one string in memory.
import type { Db } from '../db/client';
import { allRunEntries } from './run-entries';
import { loadRun, type RunEntryFilter } from './runs';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const COLUMNS = ['action', 'originId', 'targetId', 'reason', 'batch', 'at', 'data'] as const;

type Row = Record<(typeof COLUMNS)[number], string | null>;

async function* entryRows(db: Db, orgId: string, runId: string, filter: RunEntryFilter): AsyncGenerator<Row> {
  for await (const r of allRunEntries(db, orgId, runId, filter))
    yield {
      action: r.action,
      originId: r.originId,
      targetId: r.targetId,
      reason: r.reason,
      batch: r.batchKey,
      at: r.createdAt.toISOString(),
      data: r.data === null || r.data === undefined ? null : JSON.stringify(r.data),
    };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. A text a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe: an object id from a source is
 * no reason to execute something on the operator's machine. (Ten lines, not worth a dependency.)
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(format: ExportFormat, row: Row): string {
  if (format === 'csv') return `${COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
  const { data, ...rest } = row;
  return `${JSON.stringify({ ...rest, data: data === null ? null : (JSON.parse(data) as unknown) })}\n`;
}

/** The download's body and its file name; NOT_FOUND (UserError) for a run of another organisation. */
export async function exportRunEntries(
  db: Db,
  orgId: string,
  runId: string,
  format: ExportFormat,
  filter: RunEntryFilter,
): Promise<{ body: ReadableStream<Uint8Array>; fileName: string }> {
  await loadRun(db, orgId, runId);
  const rows = entryRows(db, orgId, runId, filter);
  const encoder = new TextEncoder();
  let header = format === 'csv';
  const body = new ReadableStream<Uint8Array>({
    // Pulled: the next batch is read only when the client has taken the previous one.
    async pull(controller) {
      if (header) {
        header = false;
        controller.enqueue(encoder.encode(`${COLUMNS.join(',')}\r\n`));
      }
      let chunk = '';
      for (let i = 0; i < 200; i++) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += line(format, next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return { body, fileName: `run-${runId}-entries.${format}` };
}
