// Selected ids from an uploaded file: a text file holds one id per line; a CSV file's ids are its first
// column (csv-parse reads quoting and the delimiter), and a first row that names the id field is its
// header. Ids are trimmed and each counts once.
import { parse } from 'csv-parse/browser/esm/sync';

export function idsFromFile(fileName: string, text: string, idField: string): string[] {
  const csv = /\.(csv|tsv)$/i.test(fileName);
  const cells = csv ? firstColumn(text, fileName) : text.split(/\r?\n/);
  const ids = cells.map((cell) => cell.trim()).filter(Boolean);
  if (csv && ids[0] !== undefined && ids[0].toLowerCase() === idField.trim().toLowerCase()) ids.shift();
  return [...new Set(ids)];
}

function firstColumn(text: string, fileName: string): string[] {
  const rows: string[][] = parse(text, {
    delimiter: /\.tsv$/i.test(fileName) ? '\t' : [',', ';', '\t'],
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
  });
  return rows.map((row) => row[0] ?? '');
}

/** The ids of the text area, as the API will read them: one per line, trimmed, each once. */
export function countIds(text: string): number {
  return new Set(
    text
      .split(/\n/)
      .map((s) => s.trim())
      .filter(Boolean),
  ).size;
}
