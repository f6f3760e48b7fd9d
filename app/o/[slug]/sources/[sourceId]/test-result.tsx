'use client';
// The answer of a connection test: status, time, what was detected, a sample object, headers and the
// start of the body — or why it failed.
import type { inferRouterOutputs } from '@trpc/server';
import type { ReactNode } from 'react';
import { Badge } from '@/app/_components/ui';
import { formatCount, formatDuration } from '@/app/_lib/format';
import type { AppRouter } from '@/server/trpc/root';
import { describePagination } from '../_parts/describe';

type Result = inferRouterOutputs<AppRouter>['sources']['testConnection'];

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-1.5 sm:grid-cols-[12rem_1fr]">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

const pre = 'max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100';

export function TestResult({ result }: { result: Result }) {
  if (!result.ok) {
    return (
      <div
        role="alert"
        className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
        data-testid="test-failed"
      >
        <p className="font-medium">
          The connection failed{result.status ? ` (${result.status})` : ''} after{' '}
          {formatDuration(result.timeMs)}.
        </p>
        <p className="break-words">{result.reason}</p>
        {'advice' in result && result.advice && (
          <p className="break-words" data-testid="test-advice">
            <strong>What to do:</strong> {result.advice}
          </p>
        )}
      </div>
    );
  }
  const d = result.detected;
  return (
    <div className="space-y-4 text-sm" data-testid="test-result">
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone="green">
          {result.status} {result.statusText}
        </Badge>
        <span>in {formatDuration(result.timeMs)}</span>
        <code className="break-all text-xs text-slate-600">{result.url}</code>
      </p>
      <dl className="divide-y divide-slate-100">
        <Row label="Objects are at">
          {d.resultsPosition ? (
            <>
              <code>{d.resultsPosition}</code> · {formatCount(d.objectCount)} on this page
            </>
          ) : (
            <span className="text-red-700">{d.resultsProblem}</span>
          )}
        </Row>
        <Row label="Id field">
          {d.idField ? (
            <code>{d.idField}</code>
          ) : (
            <span className="text-amber-700">{d.idProblem ?? 'Not found'}</span>
          )}
        </Row>
        <Row label="Pagination">{describePagination(d.pagination)}</Row>
        <Row label="Format">{result.format.toUpperCase()}</Row>
      </dl>
      {d.sample !== null && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Sample object</h3>
          <pre className={pre}>{JSON.stringify(d.sample, null, 2)}</pre>
        </div>
      )}
      <details>
        <summary className="cursor-pointer text-xs font-semibold uppercase text-slate-500">
          Response headers ({Object.keys(result.headers).length})
        </summary>
        <dl className="mt-2 font-mono text-xs">
          {Object.entries(result.headers).map(([name, value]) => (
            <div key={name} className="break-all">
              <dt className="inline text-slate-500">{name}: </dt>
              <dd className="inline">{value}</dd>
            </div>
          ))}
        </dl>
      </details>
      <details>
        <summary className="cursor-pointer text-xs font-semibold uppercase text-slate-500">
          Start of the body ({formatCount(result.bodyLength)} characters in all)
        </summary>
        <pre className={`${pre} mt-2 whitespace-pre-wrap`}>{result.bodyStart}</pre>
      </details>
    </div>
  );
}
