'use client';
// The first rows of a file as a table, with the choice of the column that identifies a row: offered as
// the id field to use in this source's synchronisations.
import { useState } from 'react';
import { Select, TableScroll } from '@/app/_components/ui';

const ID_NAMES = ['id', 'uuid', '_id', 'key', 'code', 'identifier', 'number'];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // JSON for objects and lists, and the plain text of numbers and booleans.
  return JSON.stringify(value) ?? '';
}

export function PreviewTable({ columns, rows }: { columns: string[]; rows: Record<string, unknown>[] }) {
  const guess = columns.find((c) => ID_NAMES.includes(c.trim().toLowerCase())) ?? columns[0] ?? '';
  const [chosen, setChosen] = useState<string | null>(null);
  const idColumn = chosen !== null && columns.includes(chosen) ? chosen : guess;
  return (
    <div className="space-y-3">
      {columns.length > 0 && (
        <div className="flex flex-wrap items-end gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm">
          <label>
            <span className="mb-1 block font-medium text-slate-700">Id column</span>
            <Select aria-label="Id column" value={idColumn} onChange={(e) => setChosen(e.target.value)}>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </Select>
          </label>
          <p className="min-w-48 flex-1 text-slate-700" data-testid="id-suggestion">
            In a synchronisation of this source, set the id field (sourceIdField) to <code>{idColumn}</code>.
            Its values must be unique and present in every row.
          </p>
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
            {rows.map((row, index) => (
              <tr key={index}>
                <td className="px-2 py-1 text-slate-400">{index + 1}</td>
                {columns.map((c) => (
                  <td key={c} className="max-w-64 truncate px-2 py-1 whitespace-nowrap" title={cell(row[c])}>
                    {cell(row[c])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
