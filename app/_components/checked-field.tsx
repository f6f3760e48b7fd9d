'use client';
// Form fields that show, beside themselves, the problems a refused save found with them: a form puts
// the refusal's issues in FieldErrors, and each CheckedField names its input field (`config.baseUrl`).
import { createContext, useContext, type ReactNode } from 'react';
import { problemsAt } from '@/app/_lib/field-errors';
import type { FieldIssue } from '@/server/services/field-issues';
import { Field } from './ui';

const Issues = createContext<readonly FieldIssue[]>([]);

export function FieldErrors({ issues, children }: { issues: readonly FieldIssue[]; children: ReactNode }) {
  return <Issues.Provider value={issues}>{children}</Issues.Provider>;
}

/** The sentences about `name` (or a key inside it) in the surrounding FieldErrors. */
export function useFieldError(name: string): string | null {
  return problemsAt(useContext(Issues), [name]);
}

export function CheckedField(props: { name: string; label: string; hint?: string; children: ReactNode }) {
  const error = useFieldError(props.name);
  return (
    <Field label={props.label} hint={props.hint} error={error}>
      {props.children}
    </Field>
  );
}
