'use client';
// Name/value rows for extra query parameters or headers.
import { Button, Input } from '@/app/_components/ui';
import type { KeyValue } from '../_lib/form-state';

interface Props {
  label: string;
  rows: KeyValue[];
  onChange: (rows: KeyValue[]) => void;
  keyPlaceholder: string;
  valuePlaceholder: string;
  error?: string | null;
}

export function KeyValueEditor({ label, rows, onChange, keyPlaceholder, valuePlaceholder, error }: Props) {
  const update = (i: number, patch: Partial<KeyValue>) =>
    onChange(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  return (
    <div className="space-y-1">
      <span className="block text-sm font-medium text-slate-700">{label}</span>
      {rows.map((row, i) => (
        <div key={i} className="flex gap-2">
          <Input
            aria-label={`${label} ${i + 1} name`}
            placeholder={keyPlaceholder}
            value={row.key}
            onChange={(e) => update(i, { key: e.target.value })}
          />
          <Input
            aria-label={`${label} ${i + 1} value`}
            placeholder={valuePlaceholder}
            value={row.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <Button
            variant="ghost"
            aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add {label.toLowerCase().replace(/s$/, '')}
      </Button>
      {error && (
        <span data-testid="field-error" className="block text-xs font-medium text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
