'use client';
// A REST source's secret headers and query parameters: the saved ones (write-only, shown only as set,
// each to replace or remove) and new rows (kind, name, value). They are saved as the secrets
// `header:<name>` and `query:<name>`, encrypted, and sent with every request to the API's origin.
import { useFieldError } from '@/app/_components/checked-field';
import { Button, Input, Select } from '@/app/_components/ui';
import { isSecretParam, secretLabel } from '@/server/sync/config/source-secrets';
import { clearingNote, type SecretPair } from './draft';
import type { SecretsState } from './rest-fields';
import { SecretField } from './secret-field';

interface Props {
  secrets: SecretsState;
  rows: SecretPair[];
  onRowsChange: (rows: SecretPair[]) => void;
}

export function SecretParamsFields({ secrets, rows, onRowsChange }: Props) {
  const error = useFieldError('secrets');
  const stored = secrets.set.filter(isSecretParam);
  const clearing = secrets.clearing.filter(isSecretParam);
  const set = (index: number, change: Partial<SecretPair>) =>
    onRowsChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const label = (name: string) => {
    const words = secretLabel(name);
    return words.charAt(0).toUpperCase() + words.slice(1);
  };
  return (
    <fieldset
      className="space-y-3 rounded-md border border-slate-200 p-3"
      aria-label="Secret headers and query parameters"
    >
      <legend className="px-1 text-sm font-medium text-slate-700">Secret headers and query parameters</legend>
      {error ? (
        <p data-testid="field-error" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : (
        <p className="text-xs text-slate-500">
          For an API key, a cookie or any other header or parameter that is a secret: stored encrypted, sent
          with every request to the base URL&apos;s address, and never shown again.
        </p>
      )}
      <ClearingNote names={clearing} />
      {stored.map((name) => (
        <SecretField
          key={name}
          name={name}
          label={label(name)}
          isSet
          clearing={clearing.includes(name)}
          change={secrets.changes[name]}
          onChange={(change) => secrets.onChange(name, change)}
        />
      ))}
      {rows.map((row, index) => (
        <div key={index} className="flex flex-wrap gap-2 sm:flex-nowrap">
          <Select
            aria-label={`Secret ${index + 1} kind`}
            value={row.place}
            onChange={(e) => set(index, { place: e.target.value as SecretPair['place'] })}
          >
            <option value="header">Header</option>
            <option value="query">Query parameter</option>
          </Select>
          <Input
            aria-label={`Secret ${index + 1} name`}
            placeholder={row.place === 'header' ? 'Header name' : 'Parameter'}
            value={row.name}
            onChange={(e) => set(index, { name: e.target.value })}
          />
          <Input
            type="password"
            autoComplete="new-password"
            aria-label={`Secret ${index + 1} value`}
            placeholder="Value"
            value={row.value}
            onChange={(e) => set(index, { value: e.target.value })}
          />
          <Button
            variant="ghost"
            aria-label={`Remove secret ${index + 1}`}
            onClick={() => onRowsChange(rows.filter((_, i) => i !== index))}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button
        variant="secondary"
        onClick={() => onRowsChange([...rows, { place: 'header', name: '', value: '' }])}
      >
        Add secret header or parameter
      </Button>
    </fieldset>
  );
}

/** "Changing the address clears the saved token: enter it again." beside the secrets it names. */
export function ClearingNote({ names }: { names: string[] }) {
  const note = clearingNote(names);
  if (!note) return null;
  return (
    <p data-testid="secrets-cleared-note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {note}
    </p>
  );
}
