'use client';
// The mapping's heart: rows of output key ← value, each with how its value is read and its problems.
import { Button, Input } from '@/app/_components/ui';
import { nextId, problemsAt, type KeyRow, type Problem } from '../_lib/draft';
import { InlineProblems } from './inline-problems';
import { ValueKind } from './value-kind';

interface Props {
  rows: KeyRow[];
  onChange: (rows: KeyRow[]) => void;
  problems: readonly Problem[];
  hints: Map<number, string>;
  readOnly: boolean;
}

export function MappingRows({ rows, onChange, problems, hints, readOnly }: Props) {
  const edit = (id: number, patch: Partial<KeyRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <div className="space-y-2">
      <div className="hidden grid-cols-[minmax(0,2fr)_minmax(0,3fr)_4.5rem_2rem] gap-2 text-xs font-semibold uppercase text-slate-500 sm:grid">
        <span>Output key</span>
        <span>Value (source path, {'{{ template }}'} or =text)</span>
      </div>
      {rows.map((row, i) => (
        <div key={row.id} data-testid={`mapping-row-${i + 1}`}>
          <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_4.5rem_2rem] items-center gap-2">
            <Input
              aria-label={`Output key ${i + 1}`}
              placeholder="e.g. email"
              value={row.key}
              readOnly={readOnly}
              onChange={(e) => edit(row.id, { key: e.target.value })}
              className="font-mono"
            />
            <Input
              aria-label={`Value ${i + 1}`}
              placeholder="e.g. contact.email"
              value={row.value}
              readOnly={readOnly}
              onChange={(e) => edit(row.id, { value: e.target.value })}
              className="font-mono"
            />
            <ValueKind outputKey={row.key.trim()} value={row.value} />
            {!readOnly && (
              <Button
                variant="ghost"
                aria-label={`Remove row ${i + 1}`}
                onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
              >
                ×
              </Button>
            )}
          </div>
          <InlineProblems
            problems={problemsAt(problems, `mapping.${row.key.trim()}`)}
            hint={hints.get(row.id)}
          />
        </div>
      ))}
      {!readOnly && (
        <Button variant="secondary" onClick={() => onChange([...rows, { id: nextId(), key: '', value: '' }])}>
          + Add key
        </Button>
      )}
    </div>
  );
}
