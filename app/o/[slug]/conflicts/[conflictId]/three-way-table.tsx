'use client';
// The three-way diff: one row per field with its value as last synchronised (base), at the source
// (through the mapping) and in the register (target). A value that differs from the base is
// highlighted; a field both sides changed differently is marked. With `picks`, each source and target
// value is a choice for the per-field resolution.
import { Badge, TableScroll } from '@/app/_components/ui';
import type { DiffRow, Picks, Side } from './types';

function Value({ value }: { value: unknown }) {
  if (value === undefined) return <span className="italic text-slate-400">missing</span>;
  return <code className="whitespace-pre-wrap break-all text-xs">{JSON.stringify(value, null, 1)}</code>;
}

const SIDE_WORDS: Record<Side, string> = { source: 'source', target: 'target' };

function SideCell({
  row,
  side,
  picks,
  onPick,
}: {
  row: DiffRow;
  side: Side;
  picks?: Picks;
  onPick?: (path: string, side: Side) => void;
}) {
  const changed = row.changedIn === side || row.changedIn === 'both';
  const picked = picks?.[row.path] === side;
  const tone = picked ? 'bg-indigo-50 ring-1 ring-inset ring-indigo-300' : changed ? 'bg-amber-50' : '';
  return (
    <td
      className={`px-2 py-2 align-top ${tone}`}
      data-testid={`cell-${side}`}
      data-changed={changed || undefined}
    >
      {picks && onPick ? (
        <label className="flex cursor-pointer items-start gap-2">
          <input
            type="radio"
            className="mt-0.5"
            name={`pick-${row.path}`}
            checked={picked}
            onChange={() => onPick(row.path, side)}
            aria-label={`Keep the ${SIDE_WORDS[side]}'s “${row.path}”`}
          />
          <Value value={row[side]} />
        </label>
      ) : (
        <Value value={row[side]} />
      )}
    </td>
  );
}

export function ThreeWayTable({
  rows,
  sourceDeleted,
  targetDeleted,
  picks,
  onPick,
}: {
  rows: readonly DiffRow[];
  sourceDeleted: boolean;
  targetDeleted: boolean;
  picks?: Picks;
  onPick?: (path: string, side: Side) => void;
}) {
  return (
    <TableScroll label="Three versions">
      <table className="w-full min-w-[40rem] text-left text-sm" data-testid="three-way-table">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-2">Field</th>
            <th className="px-2 py-2">Base (last synchronised)</th>
            <th className="px-2 py-2">Source{sourceDeleted ? ' (deleted)' : ''}</th>
            <th className="px-2 py-2">Target{targetDeleted ? ' (deleted)' : ''}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr
              key={row.path}
              data-testid="field-row"
              data-path={row.path}
              data-conflicting={row.conflicting || undefined}
              className={row.conflicting ? 'border-l-4 border-l-red-400 bg-red-50/40' : undefined}
            >
              <th scope="row" className="py-2 pl-2 pr-2 align-top font-normal">
                <span className="font-mono text-xs">{row.path}</span>
                <span className="mt-1 block">
                  {row.conflicting ? (
                    <Badge tone="red">Both changed</Badge>
                  ) : row.changedIn === 'both' ? (
                    <span className="text-xs text-slate-500">Same change on both sides</span>
                  ) : null}
                </span>
              </th>
              <td className="px-2 py-2 align-top text-slate-600">
                <Value value={row.base} />
              </td>
              <SideCell row={row} side="source" picks={picks} onPick={onPick} />
              <SideCell row={row} side="target" picks={picks} onPick={onPick} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
