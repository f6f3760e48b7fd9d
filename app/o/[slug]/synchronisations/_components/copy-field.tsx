'use client';
// A read-only value (URL, token, command) with a Copy button.
import { useState } from 'react';
import { Button, Input, Textarea } from '@/app/_components/ui';

export function CopyField({
  label,
  value,
  multiline,
}: {
  label: string;
  value: string;
  multiline?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="space-y-1">
      <span className="text-sm font-medium text-slate-700">{label}</span>
      <div className="flex items-start gap-2">
        {multiline ? (
          <Textarea
            readOnly
            aria-label={label}
            value={value}
            rows={5}
            onFocus={(e) => e.currentTarget.select()}
          />
        ) : (
          <Input
            readOnly
            aria-label={label}
            value={value}
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
        )}
        <Button variant="secondary" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </div>
  );
}
