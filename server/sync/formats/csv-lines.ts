// Line bookkeeping and header clean-up for the CSV reader. csv-parse's own line count drifts on CRLF
// files with quoted newlines, so we count line breaks in each record's raw text ourselves.

/** Tracks which file line each record starts on, given the raw text of consecutive records. */
export class LineCounter {
  private consumed = 0;

  /** The 1-based line where the record with this raw text starts; then moves past it. */
  advance(raw: string): number {
    const start = this.startOf(raw);
    this.consumed += countLineBreaks(raw);
    return start;
  }

  /** The line where a record with this raw text would start (blank lines before it are skipped). */
  startOf(raw: string): number {
    return this.consumed + 1 + countLineBreaks(leadingBlank(raw));
  }
}

/** `\r\n`, a lone `\r` and a lone `\n` each end one line. */
export function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) count++;
    else if (code === 13) {
      count++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return count;
}

function leadingBlank(raw: string): string {
  const match = /^[\r\n]*/.exec(raw);
  return match ? match[0] : '';
}

/**
 * Header cells as object keys: trimmed, an empty cell becomes `column_3`, and a repeated name gets a
 * suffix (`name_2`) so that no column silently overwrites another.
 */
export function headerNames(cells: readonly string[]): string[] {
  const seen = new Set<string>();
  return cells.map((cell, i) => {
    const base = cell.trim() || `column_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}
