// A labelled form control with its hint, or the reason it was refused (from the form or the API).
import type { ReactNode } from 'react';

interface Props {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: ReactNode;
  className?: string;
}

export function FormField({ label, hint, error, children, className }: Props) {
  return (
    <div className={`space-y-1 ${className ?? ''}`}>
      <label className="block space-y-1">
        <span className="text-sm font-medium text-slate-700">{label}</span>
        {children}
      </label>
      {error ? (
        <p data-testid="field-error" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : (
        hint && <p className="text-xs text-slate-500">{hint}</p>
      )}
    </div>
  );
}

/** A titled group of fields inside the form. */
export function FormSection({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <legend className="px-1 text-sm font-semibold text-slate-800">{title}</legend>
      {description && <p className="mb-3 text-xs text-slate-500">{description}</p>}
      <div className="grid gap-4 md:grid-cols-2">{children}</div>
    </fieldset>
  );
}
