'use client';
// The first rows of a file as a table, with the choice of the column that identifies a row. For a CSV
// file the choice is saved on the source and is the id field of its synchronisations; rows that share
// an id or have none are marked.
import type { ReactNode } from 'react';
import { Select, TableScroll } from '@/app/_components/ui';

export { guessIdColumn } from '@/server/sync/core/discover';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // JSON for objects and lists, and the plain text of numbers and booleans.
  return JSON.stringify(value) ?? '';
}

interface Props {
  columns: string[];
  rows: Record<string, unknown>[];
  idColumn: string;
  onIdColumn: (column: string) => void;
  /** Ids that appear more than once in the whole file: their rows are marked. */
  duplicateIds?: ReadonlySet<string>;
  /** What the choice means and how to keep it (differs for CSV and JSON/XML). */
  children?: ReactNode;
}

export function PreviewTable({ columns, rows, idColumn, onIdColumn, duplicateIds, children }: Props) {
  return (
    <div className="space-y-3">
      {columns.length > 0 && (
        <div className="flex flex-wrap items-end gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm">
          <label>
            <span className="mb-1 block font-medium text-slate-700">Id column</span>
            <Select aria-label="Id column" value={idColumn} onChange={(e) => onIdColumn(e.target.value)}>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </Select>
          </label>
          <div className="min-w-48 flex-1 text-slate-700" data-testid="id-suggestion">
            {children}
          </div>
        </div>
      )}
      <TableScroll
        label="Preview"
        className="max-h-[28rem] rounded-md border border-slate-200 overflow-y-auto"
      >
        <table className="w-full text-left text-xs" aria-label="Preview rows">
          <thead className="sticky top-0 z-[2] bg-slate-100 text-slate-600 [--sticky-bg:var(--color-slate-100)]">
            <tr>
              <th className="px-2 py-1.5 font-medium text-slate-400">#</th>
              {columns.map((c) => (
                <th
                  key={c}
                  scope="col"
                  className={`px-2 py-1.5 font-medium whitespace-nowrap ${c === idColumn ? 'text-indigo-700' : ''}`}
                >
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row, index) => {
              const id = cell(row[idColumn]).trim();
              const flag = id === '' ? 'no id' : duplicateIds?.has(id) ? 'duplicate id' : null;
              return (
                <tr
                  key={index}
                  className={flag ? 'bg-amber-50' : undefined}
                  data-flag={flag ?? undefined}
                  title={
                    flag
                      ? `This row has ${flag === 'no id' ? 'no id' : 'an id another row has too'}`
                      : undefined
                  }
                >
                  <td className="px-2 py-1 text-slate-400">{index + 1}</td>
                  {columns.map((c) => (
                    <td
                      key={c}
                      className="max-w-64 truncate px-2 py-1 whitespace-nowrap"
                      title={cell(row[c])}
                    >
                      {cell(row[c])}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
