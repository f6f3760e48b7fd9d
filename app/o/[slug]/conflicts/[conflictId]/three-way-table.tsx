'use client';
// The three-way diff: one row per field with its value as last synchronised (base), at the source
// (through the mapping) and in the register (target). A value that differs from the base is
// highlighted; a field both sides changed differently is marked. With `picks`, each source and target
// value is a choice for the per-field resolution — but for a key field (the object's id in each system),
// which is marked and not picked. With `noBase` (a first match: never synchronised) there is no base
// column, which would read as every field deleted, and a field is marked only when the sides differ.
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
  noBase,
  picks,
  onPick,
}: {
  row: DiffRow;
  side: Side;
  noBase: boolean;
  picks?: Picks;
  onPick?: (path: string, side: Side) => void;
}) {
  const changed = noBase ? row.conflicting : row.changedIn === side || row.changedIn === 'both';
  const picked = picks?.[row.path] === side;
  const tone = picked ? 'bg-indigo-50 ring-1 ring-inset ring-indigo-300' : changed ? 'bg-amber-50' : '';
  return (
    <td
      className={`px-2 py-2 align-top ${tone}`}
      data-testid={`cell-${side}`}
      data-changed={changed || undefined}
    >
      {picks && onPick && !row.key ? (
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
  noBase = false,
  sourceDeleted,
  targetDeleted,
  picks,
  onPick,
}: {
  rows: readonly DiffRow[];
  /** Never synchronised (a first match): no base version to show. */
  noBase?: boolean;
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
            {!noBase && <th className="px-2 py-2">Base (last synchronised)</th>}
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
                  {row.key ? (
                    <span className="text-xs text-slate-500" data-testid="key-field">
                      Key field: identifies the object; not picked, the register’s value is kept
                    </span>
                  ) : row.conflicting ? (
                    <Badge tone="red">{noBase ? 'Differs' : 'Both changed'}</Badge>
                  ) : row.changedIn === 'both' && !noBase ? (
                    <span className="text-xs text-slate-500">Same change on both sides</span>
                  ) : null}
                </span>
              </th>
              {!noBase && (
                <td className="px-2 py-2 align-top text-slate-600">
                  <Value value={row.base} />
                </td>
              )}
              <SideCell row={row} side="source" noBase={noBase} picks={picks} onPick={onPick} />
              <SideCell row={row} side="target" noBase={noBase} picks={picks} onPick={onPick} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
