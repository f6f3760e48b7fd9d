'use client';
// A write-only secret: whether one is stored ("set"/"not set"), a field to enter a replacement, and a
// button to remove it. The stored value is never shown and the field is never pre-filled.
import { useId } from 'react';
import { Badge, Button, Input } from '@/app/_components/ui';

/** undefined: keep what is stored; a string: set or replace; null: remove. */
export type SecretChange = string | null | undefined;

interface Props {
  name: string;
  label: string;
  isSet: boolean;
  change: SecretChange;
  onChange: (change: SecretChange) => void;
  hint?: string;
  /** The settings now send the secrets to another address: saving clears this one unless replaced. */
  clearing?: boolean;
}

export function SecretField({ name, label, isSet, change, onChange, hint, clearing }: Props) {
  const removing = change === null;
  const id = useId();
  return (
    <div className="space-y-1" data-testid={`secret-${name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-700">
          {label}
        </label>
        {isSet ? <Badge tone="green">set</Badge> : <Badge tone="amber">not set</Badge>}
        {removing && <Badge tone="red">will be removed when you save</Badge>}
        {isSet && clearing && change === undefined && (
          <Badge tone="red">cleared by the new address when you save</Badge>
        )}
      </div>
      <div className="flex gap-2">
        <Input
          type="password"
          autoComplete="new-password"
          id={id}
          placeholder={isSet ? 'Enter a new value to replace it' : 'Enter the value'}
          value={typeof change === 'string' ? change : ''}
          disabled={removing}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        />
        {isSet && !removing && (
          <Button variant="danger" onClick={() => onChange(null)}>
            Remove
          </Button>
        )}
        {removing && (
          <Button variant="secondary" onClick={() => onChange(undefined)}>
            Keep
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500">
        {hint ?? 'Stored encrypted and never shown again; only whether it is set.'}
      </p>
    </div>
  );
}
