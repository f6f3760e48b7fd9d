'use client';
// Casts per output key: pick a cast from the list or type one (`default==n/a`, `unsetIfValue==-`).
// Several rows for one key run in order.
import { useId } from 'react';
import { Button, Input, Select } from '@/app/_components/ui';
import { CAST_NAMES } from '@/server/sync/core/mapping/casts';
import { nextId, problemsAt, type CastRow, type Problem } from '../_lib/draft';
import { InlineProblems } from './inline-problems';

interface Props {
  casts: CastRow[];
  keys: string[];
  onChange: (casts: CastRow[]) => void;
  problems: readonly Problem[];
  readOnly: boolean;
}

/** The list entry a typed cast corresponds to, if any (`default==x` → `default==…`). */
function pickedName(cast: string): string {
  const name = cast.includes('==') ? `${cast.slice(0, cast.indexOf('=='))}==…` : cast;
  return CAST_NAMES.find((n) => n.toLowerCase() === name.trim().toLowerCase()) ?? '';
}

export function CastRows({ casts, keys, onChange, problems, readOnly }: Props) {
  const listId = useId();
  const edit = (id: number, patch: Partial<CastRow>) =>
    onChange(casts.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <div className="space-y-2">
      <datalist id={listId}>
        {keys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {casts.length === 0 && (
        <p className="text-sm text-slate-500">No casts: values keep the type the source gives them.</p>
      )}
      {casts.map((row, i) => (
        <div key={row.id} data-testid={`cast-row-${i + 1}`}>
          <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,2fr)_2rem] items-center gap-2">
            <Input
              aria-label={`Cast key ${i + 1}`}
              placeholder="output key"
              list={listId}
              value={row.key}
              readOnly={readOnly}
              onChange={(e) => edit(row.id, { key: e.target.value })}
              className="font-mono"
            />
            <Select
              aria-label={`Pick a cast ${i + 1}`}
              value={pickedName(row.cast)}
              disabled={readOnly}
              onChange={(e) => {
                const name = e.target.value;
                edit(row.id, { cast: name.endsWith('==…') ? name.slice(0, -1) : name });
              }}
            >
              <option value="">Pick a cast…</option>
              {CAST_NAMES.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </Select>
            <Input
              aria-label={`Cast ${i + 1}`}
              placeholder="or type: default==n/a"
              value={row.cast}
              readOnly={readOnly}
              onChange={(e) => edit(row.id, { cast: e.target.value })}
              className="font-mono"
            />
            {!readOnly && (
              <Button
                variant="ghost"
                aria-label={`Remove cast ${i + 1}`}
                onClick={() => onChange(casts.filter((c) => c.id !== row.id))}
              >
                ×
              </Button>
            )}
          </div>
          <InlineProblems problems={problemsAt(problems, `cast.${row.key.trim()}`)} />
        </div>
      ))}
      {!readOnly && (
        <Button variant="secondary" onClick={() => onChange([...casts, { id: nextId(), key: '', cast: '' }])}>
          + Add cast
        </Button>
      )}
    </div>
  );
}
