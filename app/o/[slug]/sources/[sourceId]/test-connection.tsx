'use client';
// Test connection (editors and up): calls the saved source once, optionally at an endpoint, and shows
// the answer and what Concord detected in it. Viewers cannot make Concord call URLs.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Field, Input } from '@/app/_components/ui';
import { useTRPC } from '@/app/_lib/trpc';
import { TestConnectionCard } from './test-connection-card';
import { TestResult } from './test-result';

export function TestConnection({ sourceId }: { sourceId: string }) {
  const trpc = useTRPC();
  const [endpoint, setEndpoint] = useState('');
  const [resultsPosition, setResultsPosition] = useState('');
  const [idField, setIdField] = useState('');
  const test = useMutation(trpc.sources.testConnection.mutationOptions());

  return (
    <TestConnectionCard
      sourceId={sourceId}
      test={test}
      editorsOnly="Editors can test the connection: it makes Concord call the source."
      intro={
        <>
          Calls the <strong>saved</strong> settings once, with their authentication, and shows what Concord
          would find. Leave the optional fields empty to let it detect them.
        </>
      }
      fields={
        <div className="grid gap-3 md:grid-cols-3">
          <Field label="Endpoint (optional)" hint="Added to the base URL, e.g. /customers?page=1">
            <Input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} placeholder="/items" />
          </Field>
          <Field label="Results position (optional)" hint="_root, _object or a path such as data.items">
            <Input value={resultsPosition} onChange={(e) => setResultsPosition(e.target.value)} />
          </Field>
          <Field label="Id field (optional)" hint="A path such as id or @attributes.id">
            <Input value={idField} onChange={(e) => setIdField(e.target.value)} />
          </Field>
        </div>
      }
      input={() => ({
        endpoint: endpoint.trim() || undefined,
        resultsPosition: resultsPosition.trim() || undefined,
        idField: idField.trim() || undefined,
      })}
      answerClassName="mt-4"
    >
      {test.data && <TestResult result={test.data} />}
    </TestConnectionCard>
  );
}
