// The column of a value PostgreSQL refused. Its words leave the column out — "value too long for type
// character varying(5)", "invalid input syntax for type date: "soon"", "value "70000" is out of range
// for type smallint" — and in a row of many columns the person cannot tell which field to fix. The
// message bounds the value or quotes it, so the row's own values name the column. MySQL and MariaDB name
// it themselves. Pure.

/** One written value: its column, the parameter bound for it, and whether the column holds text. */
export interface WrittenValue {
  readonly column: string;
  readonly param: unknown;
  readonly text: boolean;
}

const TOO_LONG = /value too long for type character(?: varying)?\((\d+)\)/;
const QUOTED = [
  /invalid input syntax for type [^:]+: "(.*?)"(?: \(|$)/,
  /value "(.*?)" is out of range for type/,
  /date\/time field value out of range: "(.*?)"(?: \(|$)/,
  /invalid input value for enum [^:]+: "(.*?)"(?: \(|$)/,
];

/** A bound scalar as the database quotes it; null for anything else (bytes, arrays, NULL). */
function scalarText(param: unknown): string | null {
  if (typeof param === 'string') return param;
  if (typeof param === 'number' || typeof param === 'boolean' || typeof param === 'bigint')
    return String(param);
  return null;
}

/** The columns whose value the refusal is about; none when its words say nothing of the value. */
export function refusedColumns(reason: string, values: readonly WrittenValue[]): string[] {
  const long = TOO_LONG.exec(reason);
  if (long) {
    const max = Number(long[1]);
    return values
      .filter((v) => v.text && typeof v.param === 'string' && [...v.param].length > max)
      .map((v) => v.column);
  }
  for (const pattern of QUOTED) {
    const quoted = pattern.exec(reason);
    if (quoted) return values.filter((v) => scalarText(v.param) === quoted[1]).map((v) => v.column);
  }
  return [];
}

/** The refusal with the column(s) it is about added, when the words do not name one already. */
export function withRefusedColumn(reason: string, values: readonly WrittenValue[]): string {
  if (/\bcolumn\b/i.test(reason)) return reason;
  const columns = refusedColumns(reason, values);
  if (columns.length === 0) return reason;
  const named = columns
    .slice(0, 3)
    .map((c) => `"${c}"`)
    .join(', ');
  return `${reason} — in column${columns.length > 1 ? 's' : ''} ${named}`;
}
