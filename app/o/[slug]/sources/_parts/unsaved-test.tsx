'use client';
// Test connection inside the new-source form: tries the settings and secrets as typed, before anything
// is saved, and shows the status, a sample object and — when it fails — what to fix. A problem with a
// setting shows beside its field, as saving would show it.
import type { UseMutationResult } from '@tanstack/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import { Button, ErrorText, Field, Input, Textarea } from '@/app/_components/ui';
import { errorMessage } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';
import { SqlTestResult } from '../[sourceId]/sql-test-result';
import { TestResult } from '../[sourceId]/test-result';

type Input = inferRouterInputs<AppRouter>['sources']['testUnsaved'];
type Output = inferRouterOutputs<AppRouter>['sources']['testUnsaved'];
export type UnsavedTestMutation = UseMutationResult<Output, unknown, Input>;

interface Props {
  type: 'rest' | 'sql';
  test: UnsavedTestMutation;
  /** The form's settings as they would be saved, with the secrets typed so far. */
  request: () => Omit<Input, 'endpoint' | 'keyColumn'>;
}

export function UnsavedTest({ type, test, request }: Props) {
  const [endpoint, setEndpoint] = useState('');
  const [keyColumn, setKeyColumn] = useState('');
  const data = test.data;
  // A refusal with issues shows at the fields; anything else here.
  const failed = test.error !== null && test.error !== undefined;
  const fieldless = failed && !(test.error as { data?: { issues?: unknown[] } }).data?.issues?.length;

  return (
    <section
      aria-label="Test connection"
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <h3 className="text-sm font-semibold text-slate-900">Test connection</h3>
      <p className="text-sm text-slate-600">
        Tries these settings now, before you save: nothing is stored.{' '}
        {type === 'rest'
          ? 'Give an endpoint to see the objects a synchronisation would read there.'
          : 'Give a table or query to see its first row.'}
      </p>
      <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
        {type === 'rest' ? (
          <Field label="Endpoint to test (optional)" hint="The path to call, e.g. /customers">
            <Input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} placeholder="/items" />
          </Field>
        ) : (
          <>
            <Field
              label="Table or query to test (optional)"
              hint="customers, or SELECT id, name FROM customers"
            >
              <Textarea
                rows={2}
                spellCheck={false}
                value={endpoint}
                onChange={(e) => setEndpoint(e.target.value)}
              />
            </Field>
            <Field label="Key column (optional)" hint="The column rows are ordered by; empty: id">
              <Input value={keyColumn} onChange={(e) => setKeyColumn(e.target.value)} placeholder="id" />
            </Field>
          </>
        )}
      </div>
      <Button
        variant="secondary"
        disabled={test.isPending}
        onClick={() =>
          test.mutate({
            ...request(),
            endpoint: endpoint.trim() || undefined,
            ...(type === 'sql' ? { keyColumn: keyColumn.trim() || undefined } : {}),
          })
        }
      >
        {test.isPending ? 'Testing…' : 'Test connection'}
      </Button>
      <div aria-live="polite" className="text-sm">
        <ErrorText>{fieldless ? errorMessage(test.error) : null}</ErrorText>
        {failed && !fieldless && (
          <p className="text-red-700" role="alert">
            Some settings are not valid yet: see the messages beside the fields above.
          </p>
        )}
        {data?.type === 'rest' && <TestResult result={data.result} />}
        {data?.type === 'sql' && <SqlTestResult result={data.result} />}
      </div>
    </section>
  );
}
