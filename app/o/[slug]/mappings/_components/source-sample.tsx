'use client';
// Takes the bench's sample straight from a source, as a synchronisation would read it: a REST source's
// first object at an endpoint, an SQL table's first row, an uploaded file's first row, a register's
// newest object. Editors only: reading a REST or SQL source makes Concord call it.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Input, Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

interface Props {
  onSamples: (samples: Record<string, unknown>[], from: string) => void;
  /** The button's words ("Take a sample", "Take samples"). */
  action?: string;
}

export function SourceSample({ onSamples, action = 'Take a sample' }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const [sourceId, setSourceId] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const sources = useQuery({
    ...trpc.sources.list.queryOptions({ orgId: org.orgId }),
    enabled: org.can('sources.write'),
  });
  const sample = useMutation(
    trpc.sources.sample.mutationOptions({
      onSuccess: (answer) => {
        if (answer.ok) onSamples(answer.objects, answer.from);
      },
    }),
  );
  if (!org.can('sources.write')) return null;
  const chosen = sources.data?.find((s) => s.id === sourceId);
  const needsEndpoint = chosen?.type === 'rest' || chosen?.type === 'sql';
  const failed = sample.data && !sample.data.ok ? sample.data : null;

  return (
    <div className="space-y-1" data-testid="source-sample">
      <div className="flex flex-wrap items-center gap-2">
        <Select
          aria-label="Sample from source"
          value={sourceId}
          onChange={(e) => setSourceId(e.target.value)}
        >
          <option value="">Take from a source…</option>
          {(sources.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
        {needsEndpoint && (
          <Input
            aria-label={chosen?.type === 'sql' ? 'Table or query' : 'Endpoint'}
            className="w-48"
            placeholder={chosen?.type === 'sql' ? 'customers' : '/items'}
            value={endpoint}
            onChange={(e) => setEndpoint(e.target.value)}
          />
        )}
        {sourceId && (
          <Button
            variant="secondary"
            disabled={sample.isPending}
            onClick={() =>
              sample.mutate({ orgId: org.orgId, sourceId, endpoint: endpoint.trim() || undefined })
            }
          >
            {sample.isPending ? 'Reading…' : action}
          </Button>
        )}
      </div>
      {sample.data?.ok && <p className="text-xs text-slate-500">From {sample.data.from}.</p>}
      {failed && (
        <p role="alert" className="text-xs text-red-700">
          {failed.reason} {failed.advice}
        </p>
      )}
      {sample.error && <p className="text-xs text-red-700">{errorMessage(sample.error)}</p>}
    </div>
  );
}
