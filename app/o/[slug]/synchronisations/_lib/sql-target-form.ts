// The SQL target's settings as the form's text, and back: the table, the key columns (comma-separated),
// the columns to write (`column = field` per line; empty: every field), and the soft delete column with
// the values it takes (JSON, or plain text).
import {
  sqlTargetConfigSchema,
  type SqlTargetConfig,
  type SqlTargetConfigInput,
} from '@/server/sync/config/sync-config';

export interface SqlTargetFields {
  table: string;
  keyColumns: string;
  columns: string;
  softDeleteColumn: string;
  softDeleteValue: string;
  softDeleteActiveValue: string;
}

export const EMPTY_SQL_TARGET: SqlTargetFields = {
  table: '',
  keyColumns: 'id',
  columns: '',
  softDeleteColumn: '',
  softDeleteValue: 'true',
  softDeleteActiveValue: '',
};

/** A value as typed: text as it is, unless it would read back as something else (`"true"`, `"1"`). */
function asText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string' && readValue(value) === value) return value;
  return JSON.stringify(value);
}

/** A saved SQL target configuration as text; the defaults when it is not one (a REST target's). */
export function sqlTargetFields(config: unknown): SqlTargetFields {
  const parsed = sqlTargetConfigSchema.safeParse(config);
  if (!parsed.success) return EMPTY_SQL_TARGET;
  const c: SqlTargetConfig = parsed.data;
  return {
    table: c.table,
    keyColumns: c.keyColumns.join(', '),
    columns: Object.entries(c.columns ?? {})
      .map(([column, field]) => (column === field ? column : `${column} = ${field}`))
      .join('\n'),
    softDeleteColumn: c.softDelete?.column ?? '',
    softDeleteValue: c.softDelete ? asText(c.softDelete.value) : 'true',
    softDeleteActiveValue: asText(c.softDelete?.activeValue),
  };
}

export class SqlTargetProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** `true`, `0`, `null`, `"x"` as JSON; anything else as the text typed (`{{now}}`, `deleted`). */
function readValue(text: string): string | number | boolean | null {
  const trimmed = text.trim();
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed === null || ['string', 'number', 'boolean'].includes(typeof parsed))
      return parsed as string | number | boolean | null;
  } catch {
    // Not JSON: the text itself.
  }
  return trimmed;
}

/** The form's text as the API's input; soft deletion only when a column is named. */
export function sqlTargetInput(f: SqlTargetFields): SqlTargetConfigInput {
  const keyColumns = f.keyColumns
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const columns: Record<string, string> = {};
  for (const [index, line] of f.columns.split('\n').entries()) {
    if (!line.trim()) continue;
    const [column, field] = line.split('=').map((part) => part.trim());
    if (!column)
      throw new SqlTargetProblem('targetConfig.columns', `Line ${index + 1} of the columns names no column.`);
    columns[column] = field || column;
  }
  const column = f.softDeleteColumn.trim();
  return {
    table: f.table.trim(),
    ...(keyColumns.length ? { keyColumns } : {}),
    ...(Object.keys(columns).length ? { columns } : {}),
    ...(column
      ? {
          softDelete: {
            column,
            value: f.softDeleteValue.trim() ? readValue(f.softDeleteValue) : true,
            ...(f.softDeleteActiveValue.trim() ? { activeValue: readValue(f.softDeleteActiveValue) } : {}),
          },
        }
      : {}),
  };
}
