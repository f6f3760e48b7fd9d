'use client';
// Editable name/value rows: a REST source's default headers and query parameters.
import { Button, Input } from '@/app/_components/ui';
import type { Pair } from './draft';

interface Props {
  label: string;
  hint?: string;
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  keyPlaceholder: string;
}

export function KeyValueFields({ label, hint, pairs, onChange, keyPlaceholder }: Props) {
  const set = (index: number, change: Partial<Pair>) =>
    onChange(pairs.map((pair, i) => (i === index ? { ...pair, ...change } : pair)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      {pairs.map((pair, index) => (
        <div key={index} className="flex gap-2">
          <Input
            aria-label={`${label} ${index + 1} name`}
            placeholder={keyPlaceholder}
            value={pair.key}
            onChange={(e) => set(index, { key: e.target.value })}
          />
          <Input
            aria-label={`${label} ${index + 1} value`}
            placeholder="Value"
            value={pair.value}
            onChange={(e) => set(index, { value: e.target.value })}
          />
          <Button
            variant="ghost"
            aria-label={`Remove ${label.toLowerCase()} ${index + 1}`}
            onClick={() => onChange(pairs.filter((_, i) => i !== index))}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        Add {label.toLowerCase().replace(/s$/, '')}
      </Button>
    </fieldset>
  );
}
