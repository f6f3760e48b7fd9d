'use client';
// Test connection for an SQL source (editors and up): connects with the saved settings, runs SELECT 1
// and, given a table or query, reads its first row the way a synchronisation would.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, ErrorText, Field, Input, Notice, Textarea } from '@/app/_components/ui';
import { formatDuration } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

const pre = 'max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100';

export function SqlTestConnection({ sourceId }: { sourceId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [endpoint, setEndpoint] = useState('');
  const [keyColumn, setKeyColumn] = useState('');
  const test = useMutation(trpc.sources.testSqlConnection.mutationOptions());

  if (!org.can('sources.write')) {
    return (
      <Card title="Test connection">
        <Notice>Editors can test the connection: it makes Concord connect to the database.</Notice>
      </Card>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    test.mutate({
      orgId: org.orgId,
      sourceId,
      endpoint: endpoint.trim() || undefined,
      keyColumn: keyColumn.trim() || undefined,
    });
  }

  const result = test.data;
  return (
    <Card title="Test connection">
      <form onSubmit={submit} className="space-y-3">
        <p className="text-sm text-slate-600">
          Connects with the <strong>saved</strong> settings and password and runs <code>SELECT 1</code>. Give
          a table or query to see its columns and first row as a synchronisation reads them.
        </p>
        <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
          <Field label="Table or query (optional)" hint="customers, or SELECT id, name FROM customers">
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
        </div>
        <Button type="submit" disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </Button>
      </form>
      <div className="mt-4 text-sm" aria-live="polite">
        <ErrorText>{test.error ? errorMessage(test.error) : null}</ErrorText>
        {result && !result.ok && (
          <div
            role="alert"
            className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-red-800"
            data-testid="test-failed"
          >
            <p className="font-medium">The connection failed after {formatDuration(result.timeMs)}.</p>
            <p className="break-words">{result.reason}</p>
          </div>
        )}
        {result?.ok && (
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
      </div>
    </Card>
  );
}
