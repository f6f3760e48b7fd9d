'use client';
// The rest of the mapping language: start from a copy of the source (passThrough), map from a nested
// object (root), and output paths to remove afterwards (unset).
import { Button, Field, Input } from '@/app/_components/ui';
import { nextId, problemsAt, unsetKeys, type Draft, type Problem } from '../_lib/draft';
import { InlineProblems } from './inline-problems';

interface Props {
  draft: Draft;
  onChange: (patch: Partial<Draft>) => void;
  problems: readonly Problem[];
  readOnly: boolean;
}

export function MappingOptions({ draft, onChange, problems, readOnly }: Props) {
  const keysOf = unsetKeys(draft);
  const editUnset = (id: number, path: string) =>
    onChange({ unset: draft.unset.map((u) => (u.id === id ? { ...u, path } : u)) });

  return (
    <div className="space-y-4">
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          className="mt-0.5"
          checked={draft.passThrough}
          disabled={readOnly}
          onChange={(e) => onChange({ passThrough: e.target.checked })}
        />
        <span>
          <span className="font-medium">Pass through</span> — start from a copy of the source object, then
          apply the keys above on top.
        </span>
      </label>
      <div>
        <Field label="Root path" hint="Map from the object at this source path instead of the whole object.">
          <Input
            value={draft.root}
            readOnly={readOnly}
            placeholder="e.g. payload.person"
            onChange={(e) => onChange({ root: e.target.value })}
            className="font-mono"
          />
        </Field>
        <InlineProblems problems={problemsAt(problems, 'root')} />
      </div>
      <div className="space-y-2">
        <p className="text-sm font-medium text-slate-700">Remove from the output (unset)</p>
        {readOnly && draft.unset.length === 0 && (
          <p className="text-sm text-slate-500">Nothing is removed.</p>
        )}
        {draft.unset.map((row, i) => (
          <div key={row.id}>
            <div className="flex gap-2">
              <Input
                aria-label={`Unset path ${i + 1}`}
                value={row.path}
                readOnly={readOnly}
                placeholder="e.g. internalNotes"
                onChange={(e) => editUnset(row.id, e.target.value)}
                className="font-mono"
              />
              {!readOnly && (
                <Button
                  variant="ghost"
                  aria-label={`Remove unset ${i + 1}`}
                  onClick={() => onChange({ unset: draft.unset.filter((u) => u.id !== row.id) })}
                >
                  ×
                </Button>
              )}
            </div>
            <InlineProblems problems={(keysOf.get(row.id) ?? []).flatMap((k) => problemsAt(problems, k))} />
          </div>
        ))}
        {!readOnly && (
          <Button
            variant="secondary"
            onClick={() => onChange({ unset: [...draft.unset, { id: nextId(), path: '' }] })}
          >
            + Add path to remove
          </Button>
        )}
      </div>
    </div>
  );
}
