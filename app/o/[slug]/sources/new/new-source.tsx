'use client';
// Step one, the type; step two, its form. A new file source opens its page, where the file is uploaded.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import type { SourceType } from '@/server/db/schema';
import { TYPE_HINTS, TYPE_LABELS } from '../_parts/describe';
import { SourceForm } from '../_parts/source-form';

// From the labels, not the database schema: a value import from there would bring drizzle and
// node:crypto polyfills (which use eval) into the browser.
const SOURCE_TYPES = Object.keys(TYPE_LABELS) as SourceType[];

export function NewSource() {
  const org = useOrg();
  const router = useRouter();
  const [type, setType] = useState<SourceType | null>(null);

  if (!type) {
    return (
      <div role="radiogroup" aria-label="Source type" className="grid gap-3 sm:grid-cols-2">
        {SOURCE_TYPES.map((t) => (
          <button
            key={t}
            type="button"
            role="radio"
            aria-checked={false}
            onClick={() => setType(t)}
            className="rounded-lg border border-slate-200 bg-white p-4 text-left shadow-sm hover:border-indigo-400 hover:bg-indigo-50"
          >
            <span className="block text-sm font-semibold text-slate-900">{TYPE_LABELS[t]}</span>
            <span className="mt-1 block text-sm text-slate-600">{TYPE_HINTS[t]}</span>
          </button>
        ))}
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        Type: <strong>{TYPE_LABELS[type]}</strong>{' '}
        <Button variant="ghost" onClick={() => setType(null)}>
          Change
        </Button>
      </p>
      <SourceForm
        key={type}
        type={type}
        source={null}
        onSaved={(created) => router.push(`/o/${org.slug}/sources/${created.id}`)}
      />
    </div>
  );
}
