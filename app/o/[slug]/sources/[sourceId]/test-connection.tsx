'use client';
// Test connection (editors and up): calls the saved source once, optionally at an endpoint, and shows
// the answer and what Concord detected in it. Viewers cannot make Concord call URLs.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input, Notice } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { TestResult } from './test-result';

export function TestConnection({ sourceId }: { sourceId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [endpoint, setEndpoint] = useState('');
  const [resultsPosition, setResultsPosition] = useState('');
  const [idField, setIdField] = useState('');
  const test = useMutation(trpc.sources.testConnection.mutationOptions());

  if (!org.can('sources.write')) {
    return (
      <Card title="Test connection">
        <Notice>Editors can test the connection: it makes Concord call the source.</Notice>
      </Card>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    test.mutate({
      orgId: org.orgId,
      sourceId,
      endpoint: endpoint.trim() || undefined,
      resultsPosition: resultsPosition.trim() || undefined,
      idField: idField.trim() || undefined,
    });
  }

  return (
    <Card title="Test connection">
      <form onSubmit={submit} className="space-y-3">
        <p className="text-sm text-slate-600">
          Calls the <strong>saved</strong> settings once, with their authentication, and shows what Concord
          would find. Leave the optional fields empty to let it detect them.
        </p>
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
        <Button type="submit" disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </Button>
      </form>
      <div className="mt-4" aria-live="polite">
        <ErrorText>{test.error ? errorMessage(test.error) : null}</ErrorText>
        {test.data && <TestResult result={test.data} />}
      </div>
    </Card>
  );
}
