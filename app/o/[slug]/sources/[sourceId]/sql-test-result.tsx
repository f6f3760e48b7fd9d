'use client';
// The answer of an SQL connection test (saved settings or a form not yet saved): connected, the server
// version and the first row of the table or query — or why not and what to do.
import type { inferRouterOutputs } from '@trpc/server';
import { Badge } from '@/app/_components/ui';
import { formatDuration } from '@/app/_lib/format';
import type { AppRouter } from '@/server/trpc/root';

type Result = inferRouterOutputs<AppRouter>['sources']['testSqlConnection'];

const pre = 'max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100';

export function SqlTestResult({ result }: { result: Result }) {
  return (
    <>
      {!result.ok && (
        <div
          role="alert"
          className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-red-800"
          data-testid="test-failed"
        >
          <p className="font-medium">The connection failed after {formatDuration(result.timeMs)}.</p>
          <p className="break-words">{result.reason}</p>
          {'advice' in result && result.advice && (
            <p className="break-words" data-testid="test-advice">
              <strong>What to do:</strong> {result.advice}
            </p>
          )}
        </div>
      )}
      {result.ok && (
        <div className="space-y-3" data-testid="test-result">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone="green">Connected</Badge>
            <span>
              server {result.serverVersion}, in {formatDuration(result.timeMs)}
            </span>
            <code className="break-all text-xs text-slate-600">{result.url}</code>
          </p>
          {result.sample && (
            <>
              <p>
                Columns:{' '}
                {result.sample.columns.map((c) => (
                  <code key={c} className="mr-1 rounded bg-slate-100 px-1 text-xs">
                    {c}
                  </code>
                ))}
              </p>
              {result.sample.row ? (
                <div>
                  <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">
                    First row by {result.sample.keyColumn}
                  </h3>
                  <pre className={pre}>{JSON.stringify(result.sample.row, null, 2)}</pre>
                </div>
              ) : (
                <p className="text-amber-700">The table or query returned no rows.</p>
              )}
            </>
          )}
        </div>
      )}
    </>
  );
}
