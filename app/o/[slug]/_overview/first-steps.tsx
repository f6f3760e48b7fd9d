'use client';
// A new organisation's way in: a checklist that ticks as each piece exists, the next step highlighted.
import Link from 'next/link';
import type { FirstStep } from './types';

const STEPS: Record<FirstStep['step'], { title: string; why: string; path: string; action: string }> = {
  source: {
    title: 'Connect a source',
    why: 'A REST API, an uploaded CSV, JSON or XML file, or an SQL database to read objects from.',
    path: '/sources/new',
    action: 'Create a source',
  },
  register: {
    title: 'Create a register with a schema',
    why: 'Where Concord keeps the objects, checked against a JSON Schema.',
    path: '/registers',
    action: 'Create a register',
  },
  mapping: {
    title: 'Write a mapping',
    why: 'How a source object becomes an object of your schema (optional when the shapes already match).',
    path: '/mappings/new',
    action: 'Create a mapping',
  },
  synchronisation: {
    title: 'Create a synchronisation',
    why: 'From the source into the schema, on a schedule or on demand.',
    path: '/synchronisations/new',
    action: 'Create a synchronisation',
  },
  run: {
    title: 'Run it',
    why: 'Try a test run first: it shows what would be created, updated and deleted, and writes nothing.',
    path: '/synchronisations',
    action: 'Open synchronisations',
  },
};

export function FirstSteps({
  steps,
  base,
  canWrite,
}: {
  steps: readonly FirstStep[];
  base: string;
  canWrite: boolean;
}) {
  const next = steps.find((s) => !s.done)?.step;
  return (
    <ol className="space-y-3" data-testid="first-steps">
      {steps.map((s, i) => {
        const step = STEPS[s.step];
        return (
          <li key={s.step} className="flex gap-3" data-done={s.done}>
            <span
              aria-hidden
              className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${s.done ? 'bg-green-100 text-green-800' : s.step === next ? 'bg-indigo-600 text-white' : 'bg-slate-100 text-slate-600'}`}
            >
              {s.done ? '✓' : i + 1}
            </span>
            <div className="min-w-0">
              <p
                className={`text-sm font-medium ${s.done ? 'text-slate-500 line-through' : 'text-slate-900'}`}
              >
                {step.title}
                <span className="sr-only">{s.done ? ' (done)' : ' (to do)'}</span>
              </p>
              <p className="text-xs text-slate-600">{step.why}</p>
              {s.step === next && canWrite && (
                <Link
                  className="mt-1 inline-block text-sm font-medium text-indigo-700 hover:underline"
                  href={`${base}${step.path}`}
                >
                  {step.action} →
                </Link>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
