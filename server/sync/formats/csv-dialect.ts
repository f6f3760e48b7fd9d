// Guesses a CSV file's delimiter and quote character from a sample, the way a person would: the
// candidate that splits the header and the following rows into the same number of columns wins.

export type CsvDelimiter = ',' | ';' | '\t' | '|';
export type CsvQuote = '"' | "'";

export interface CsvDialect {
  delimiter: CsvDelimiter;
  quote: CsvQuote;
}

export const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];
const QUOTES: readonly CsvQuote[] = ['"', "'"];
const SAMPLE_ROWS = 50;

/**
 * Detects the dialect of `sample` (the start of the file, as text). `complete` says the sample is the
 * whole file; otherwise its last line may be cut off and is not counted.
 */
export function detectDialect(sample: string, complete = false): CsvDialect {
  let best: CsvDialect = { delimiter: ',', quote: '"' };
  let bestScore = 0;
  for (const quote of QUOTES) {
    for (const delimiter of DELIMITERS) {
      const score = scoreDialect(fieldCounts(sample, delimiter, quote, complete));
      // Strictly better only: ties keep the earlier, more common choice (comma, double quote).
      if (score > bestScore) {
        best = { delimiter, quote };
        bestScore = score;
      }
    }
  }
  return best;
}

// Consistency dominates (rows with the header's column count), then the number of columns.
function scoreDialect(counts: number[]): number {
  const header = counts[0];
  if (header === undefined || header < 2) return 0;
  const rows = counts.slice(1);
  if (rows.length === 0) return 1000 + header;
  const consistent = rows.filter((n) => n === header).length / rows.length;
  return Math.round(consistent * 1000) + header;
}

/** Number of fields in each of the first rows, honouring quotes (a quoted newline does not end a row). */
export function fieldCounts(sample: string, delimiter: string, quote: string, complete: boolean): number[] {
  const counts: number[] = [];
  let fields = 1;
  let inQuotes = false;
  let atFieldStart = true;
  let rowHasContent = false;
  for (let i = 0; i < sample.length && counts.length < SAMPLE_ROWS; i++) {
    const ch = sample[i];
    if (inQuotes) {
      if (ch === quote) {
        if (sample[i + 1] === quote) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === quote && atFieldStart) {
      // A quote opens a field only at its start; elsewhere it is an ordinary character (5'11").
      inQuotes = true;
      atFieldStart = false;
      rowHasContent = true;
    } else if (ch === delimiter) {
      fields++;
      atFieldStart = true;
      rowHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && sample[i + 1] === '\n') i++;
      if (rowHasContent) counts.push(fields);
      fields = 1;
      atFieldStart = true;
      rowHasContent = false;
    } else {
      atFieldStart = false;
      rowHasContent = true;
    }
  }
  if (complete && rowHasContent && !inQuotes && counts.length < SAMPLE_ROWS) counts.push(fields);
  return counts;
}
