'use client';
// Test connection for an SQL source (editors and up): connects with the saved settings, runs SELECT 1
// and, given a table or query, reads its first row the way a synchronisation would.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input, Notice, Textarea } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { SqlTestResult } from './sql-test-result';

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
        {result && <SqlTestResult result={result} />}
      </div>
    </Card>
  );
}
