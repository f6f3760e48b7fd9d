// What the upload screen shows before a CSV source is saved: the detected dialect and encoding, the
// header and the first rows, read from a sample through the same reader the sync uses.
import { readCsv, type CsvOptions, type CsvRecord } from './csv';
import type { CsvDelimiter, CsvQuote } from './csv-dialect';
import { detectBom, looksLikeUtf8, resolveEncoding } from './decode';
import type { RecordProblem } from './file-batch';

export interface CsvPreviewOptions extends Pick<CsvOptions, 'delimiter' | 'quote' | 'encoding'> {
  /** The sample is the whole file (otherwise its last, possibly cut-off line is ignored). */
  complete?: boolean;
  /** How many rows to return (default 20). */
  rows?: number;
}

export type CsvPreview =
  | {
      ok: true;
      dialect: { delimiter: CsvDelimiter; quote: CsvQuote; encoding: string };
      header: string[];
      rows: CsvRecord[];
      problems: RecordProblem[];
    }
  | { ok: false; reason: string; line?: number };

export async function previewCsv(
  sample: Uint8Array | string,
  options: CsvPreviewOptions = {},
): Promise<CsvPreview> {
  const encoding = typeof sample === 'string' ? 'utf-8' : guessEncoding(sample, options);
  let text =
    typeof sample === 'string' ? sample.replace(/^\uFEFF/, '') : new TextDecoder(encoding).decode(sample);
  if (!options.complete) text = dropCutOffLine(text);

  let dialect: { delimiter: CsvDelimiter; quote: CsvQuote } | undefined;
  let header: string[] = [];
  const rows: CsvRecord[] = [];
  const problems: RecordProblem[] = [];
  const wanted = Math.max(1, options.rows ?? 20);
  const reader = readCsv([text], {
    delimiter: options.delimiter,
    quote: options.quote,
    batchSize: wanted,
    onDialect: (found) => (dialect = found),
    onHeader: (names) => (header = names),
  });
  for await (const batch of reader) {
    if (!batch.ok) {
      // A quoted field cut off by the end of the sample is not the file's fault.
      if (!options.complete && rows.length > 0) break;
      return batch;
    }
    rows.push(...batch.records);
    for (const { line, index, reason } of batch.problems) problems.push({ line, index, reason });
    if (rows.length >= wanted) break;
  }
  if (!dialect) return { ok: false, reason: 'The sample is empty.' };
  return {
    ok: true,
    dialect: { ...dialect, encoding },
    header,
    rows: rows.slice(0, wanted),
    problems,
  };
}

// Without a BOM and with bytes that are not UTF-8, the file is almost certainly Windows-1252 (Excel).
function guessEncoding(sample: Uint8Array, options: CsvPreviewOptions): string {
  const setting = options.encoding ?? 'auto';
  if (setting === 'auto' && !detectBom(sample) && !looksLikeUtf8(sample)) return 'windows-1252';
  return resolveEncoding(sample, setting);
}

function dropCutOffLine(text: string): string {
  const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return end < 0 ? text : text.slice(0, end + 1);
}
