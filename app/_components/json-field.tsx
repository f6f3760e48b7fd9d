'use client';
// A JSON textarea that says as you type whether the text parses, and if not, what and where.
import { useId, type ReactNode } from 'react';
import { Textarea } from '@/app/_components/ui';
import type { JsonText } from '@/app/_lib/json-text';

interface Props {
  label: string;
  value: string;
  onChange: (text: string) => void;
  status: JsonText;
  readOnly?: boolean;
  rows?: number;
  /** Shown under the parse status, e.g. the server's reason on save. */
  children?: ReactNode;
}

export function JsonField({ label, value, onChange, status, readOnly, rows = 14, children }: Props) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <Textarea
        id={id}
        value={value}
        rows={rows}
        spellCheck={false}
        readOnly={readOnly}
        aria-invalid={!status.ok}
        aria-describedby={`${id}-status`}
        onChange={(e) => onChange(e.target.value)}
        className={status.ok ? '' : 'border-red-400 focus:border-red-500 focus:ring-red-500'}
      />
      <p
        id={`${id}-status`}
        data-testid="json-status"
        className={`text-xs ${status.ok ? 'text-green-700' : 'text-red-700'}`}
      >
        {status.ok ? 'Valid JSON' : status.message}
      </p>
      {children}
    </div>
  );
}
