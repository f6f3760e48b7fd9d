'use client';
// Test connection for an SQL source (editors and up): connects with the saved settings, runs SELECT 1
// and, given a table or query, reads its first row the way a synchronisation would.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Field, Input, Textarea } from '@/app/_components/ui';
import { useTRPC } from '@/app/_lib/trpc';
import { SqlTestResult } from './sql-test-result';
import { TestConnectionCard } from './test-connection-card';

export function SqlTestConnection({ sourceId }: { sourceId: string }) {
  const trpc = useTRPC();
  const [endpoint, setEndpoint] = useState('');
  const [keyColumn, setKeyColumn] = useState('');
  const test = useMutation(trpc.sources.testSqlConnection.mutationOptions());

  const result = test.data;
  return (
    <TestConnectionCard
      sourceId={sourceId}
      test={test}
      editorsOnly="Editors can test the connection: it makes Concord connect to the database."
      intro={
        <>
          Connects with the <strong>saved</strong> settings and password and runs <code>SELECT 1</code>. Give
          a table or query to see its columns and first row as a synchronisation reads them.
        </>
      }
      fields={
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
      }
      input={() => ({ endpoint: endpoint.trim() || undefined, keyColumn: keyColumn.trim() || undefined })}
      answerClassName="mt-4 text-sm"
    >
      {result && <SqlTestResult result={result} />}
    </TestConnectionCard>
  );
}
