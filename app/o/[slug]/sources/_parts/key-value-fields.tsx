'use client';
// Editable name/value rows: a REST source's default headers and query parameters.
import { useFieldError } from '@/app/_components/checked-field';
import { Button, Input } from '@/app/_components/ui';
import type { Pair } from './draft';

interface Props {
  label: string;
  /** The input field the rows are saved as (`config.headers`), for the problems a save found. */
  name: string;
  hint?: string;
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  keyPlaceholder: string;
}

export function KeyValueFields({ label, name, hint, pairs, onChange, keyPlaceholder }: Props) {
  const error = useFieldError(name);
  const set = (index: number, change: Partial<Pair>) =>
    onChange(pairs.map((pair, i) => (i === index ? { ...pair, ...change } : pair)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{label}</legend>
      {error ? (
        <p data-testid="field-error" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : (
        hint && <p className="text-xs text-slate-500">{hint}</p>
      )}
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
