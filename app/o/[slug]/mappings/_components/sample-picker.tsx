'use client';
// Picks a sample for the test bench from the objects stored in one of the organisation's schemas.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

const label = (data: unknown) => {
  const text = JSON.stringify(data);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

export function SamplePicker({ onPick }: { onPick: (sample: Record<string, unknown>) => void }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [schemaId, setSchemaId] = useState('');
  // Fresh on every visit: a schema made a moment ago (another tab, the API) must be offered at once.
  const registers = useQuery({
    ...trpc.registers.list.queryOptions({ orgId: org.orgId }),
    refetchOnMount: 'always',
  });
  const objects = useQuery({
    ...trpc.registers.objects.queryOptions({ orgId: org.orgId, schemaId, pageSize: 20 }),
    enabled: schemaId !== '',
  });
  const schemas = (registers.data ?? []).flatMap((r) =>
    r.schemas.map((s) => ({ id: s.id, label: `${r.name} › ${s.name}` })),
  );
  const error = registers.error ?? objects.error;

  if (registers.isPending) return <span className="text-xs text-slate-500">Loading registers…</span>;
  if (schemas.length === 0)
    return <span className="text-xs text-slate-500">No register schemas to pick a sample from.</span>;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Select aria-label="Pick from schema" value={schemaId} onChange={(e) => setSchemaId(e.target.value)}>
        <option value="">Pick from a register…</option>
        {schemas.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </Select>
      {schemaId && objects.data && (
        <Select
          aria-label="Pick an object"
          className="max-w-xs"
          value=""
          onChange={(e) => {
            const picked = objects.data.rows.find((row) => row.id === e.target.value);
            if (picked) onPick(picked.data);
          }}
        >
          <option value="">
            {objects.data.rows.length ? `Pick one of ${objects.data.rows.length} objects…` : 'No objects yet'}
          </option>
          {objects.data.rows.map((row) => (
            <option key={row.id} value={row.id}>
              {label(row.data)}
            </option>
          ))}
        </Select>
      )}
      {error && <span className="text-xs text-red-700">{errorMessage(error)}</span>}
    </div>
  );
}
